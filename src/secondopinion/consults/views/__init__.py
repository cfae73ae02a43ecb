"""The consult pages: the request page and its messages, the patient's pages, the clinicians' pages."""
