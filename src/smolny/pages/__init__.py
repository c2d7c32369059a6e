"""Server-rendered pages: work without JavaScript, read the read models, act through one view."""
