"""The typer command-line front ends: argument parsing and rendering, nothing more."""
