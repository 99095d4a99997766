-- Browser capture (docs/browser.md): the web origins a write key may be used from. A page ships its write key, so
-- a key opened to browsers names the sites that may send with it; empty = no browser origin (server clients only).
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS allowed_origins Array(String);
