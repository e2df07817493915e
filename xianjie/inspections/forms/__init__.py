"""Forms of the inspection pages, one module per sub-topic."""
