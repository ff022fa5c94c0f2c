"""Word interview forms: ``writer`` prints the form with a hidden identifier on each part,
``scan`` finds those identifiers in a returned form's XML, ``values`` reads what people typed
(dates, choices, themes, SDGs), and ``importer`` assembles the transcript, writes it and reports
what it could not take as written."""
