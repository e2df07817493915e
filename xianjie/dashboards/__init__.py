"""Floor 5: the workbench and, later, dashboards. Reads selectors only; owns no models."""
