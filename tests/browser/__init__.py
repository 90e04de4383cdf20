"""Browser tests of the site (Playwright, Chromium)."""
