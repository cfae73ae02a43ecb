"""The cases pages: the case itself (`case`), its documents (`documents`) and its companions (`companion`)."""
