"""CfP: submissions, speakers and their profiles, co-speaker invitations, submission states."""
