"""The app's pages: the dashboard and Add report."""
