// Small behaviours for Stances. Loaded as a file: the Content-Security-Policy allows no inline script.
