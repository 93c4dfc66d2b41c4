# Empty compiler generated dependencies file for tls_churn.
# This may be replaced when dependencies are built.
