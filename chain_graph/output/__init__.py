"""What users take away: table rows, exports, the chain map."""
