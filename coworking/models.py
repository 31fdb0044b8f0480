# Models are added by this app's issue.
