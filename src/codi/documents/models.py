"""Models of documents and ocr."""
