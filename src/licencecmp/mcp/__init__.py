"""The Model Context Protocol server (``licencecmp mcp``): licencecmp's questions as tools a coding
agent can call, and the catalogue as resources. Needs the optional ``mcp`` SDK
(``pip install 'licencecmp[mcp]'``)."""
