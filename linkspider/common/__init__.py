"""Small pieces every stage uses: registrable domains, redaction of secrets, reading what a person hands over, linkspider's settings from anywhere."""
