-- The example database shop.sqlite was made from this file:
--   python3 -c "import sqlite3; c = sqlite3.connect('examples/db/shop.sqlite'); c.executescript(open('examples/db/shop.sql').read()); c.commit()"
-- (or: sqlite3 examples/db/shop.sqlite < examples/db/shop.sql)
CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, amount REAL NOT NULL,
                     ordered_on DATE NOT NULL, paid BOOLEAN NOT NULL, note TEXT);
INSERT INTO customers VALUES (1, 'Ada Lovelace', 'GB'), (2, 'Grace Hopper', 'US'), (3, 'Konrad Zuse', 'DE'),
                             (4, 'Émilie du Châtelet', 'FR');
INSERT INTO orders VALUES
  (1, 1, 120.5, '2024-01-03', 1, NULL),
  (2, 2, 18.0, '2024-01-04', 1, 'gift, wrapped'),
  (3, 3, 240.0, '2024-01-09', 0, 'call "before" delivery'),
  (4, 1, 9.99, '2024-02-01', 1, NULL),
  (5, 4, 75.25, '2024-02-14', 0, 'Lieferung
zweiter Stock'),
  (6, 2, 310.0, '2024-03-01', 1, NULL),
  (7, 3, 42.0, '2024-03-02', 1, 'repeat'),
  (8, 4, 5.5, '2024-03-03', 1, NULL);
