"""The month's figures on the server (spec 07): the risk index, the efficiency evaluation and
the headline statistics, computed from the stored records and cached once a month is closed."""
