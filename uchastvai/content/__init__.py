"""Reading and validating content files: schema, reader, intake, rules and the content's images."""
