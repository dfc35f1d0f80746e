"""The browser editor: Decap CMS at /admin/, its configuration generated from the content model."""
