"""The desktop window: a thin Qt layer over pinupload's engine and sender."""
