"""What every generated page is made of: the VirtualPage record, relative links, our Jinja templates,
the HTML sanitiser and the Content-Security-Policy."""
