"""Reading and validating content files: schema, readers, intake and rules."""
