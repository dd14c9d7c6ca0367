"""Asterisk's REST interface (ARI), used only to configure Asterisk at run time."""
