"""Schedule exchange: frab/pentabarf schedule XML, schedule JSON and iCalendar.

``schedule_data`` holds the neutral ``ScheduleData`` model every format reads and writes;
``frab_xml``, ``schedule_json`` and ``ical`` are pure parsers/writers; ``services`` maps
``ScheduleData`` to and from the database.
"""
