"""Custom CfP questions: organizers ask, speakers answer, the program may publish."""
