"""The opinion pages: one opinion (write, review, sign, read, PDF, addenda) and the case-level pages."""
