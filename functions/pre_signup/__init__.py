"""Cognito PreSignUp trigger: the sign-up checks for sign-ups that do not come through our API."""
