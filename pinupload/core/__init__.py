"""The engine: everything pinupload does, without Qt."""
