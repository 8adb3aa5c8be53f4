"""The petition desk (信访): the desk's list, registration with a receipt slip, a petition's view."""
