"""Evidence: what a system has done, measured from its own data (issue 13).

`bias_data` reads a file of outcomes per candidate and checks it cell by cell; `bias_audit` computes what
6 RCNY § 5-301 asks of a bias audit under New York City's Local Law 144 (selection or scoring rates, impact
ratios, unknown categories, small categories and their recorded exclusions); `bias_law` states the dates and
the provisions the audit answers to. Analysis layer: it reads files and computes, it renders nothing.
"""
