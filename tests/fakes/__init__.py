"""Local fake servers that speak provider wire protocols on 127.0.0.1."""
