-- The structured form of an audit row's detail (JSON), so that each
-- language can tell it; `detail` keeps the English telling for the API.
ALTER TABLE audit_events ADD COLUMN detail_data TEXT;
