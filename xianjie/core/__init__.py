"""Floor 0: shared building blocks with no business rules."""
