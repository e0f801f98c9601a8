CREATE TABLE cuisines (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO cuisines SELECT g, (ARRAY['thai','italian','french','indian','mexican','japanese','greek','korean'])[g] FROM generate_series(1,8) g;
CREATE TABLE recipes (id int PRIMARY KEY, name text NOT NULL, cuisine text NOT NULL, rating int NOT NULL, created_at timestamptz NOT NULL, author_id int NOT NULL);
INSERT INTO recipes SELECT g, 'recipe ' || g, (ARRAY['thai','italian','french','indian','mexican','japanese','greek','korean'])[1 + g % 8], g % 5 + 1, timestamptz '2025-01-01' + g * interval '1 hour', g % 200 FROM generate_series(1,5000) g;
CREATE INDEX recipes_author_id_idx ON recipes(author_id);
CREATE TABLE recipe_ingredients (id int PRIMARY KEY, recipe_id int NOT NULL REFERENCES recipes(id), name text NOT NULL, quantity numeric NOT NULL, unit text NOT NULL);
INSERT INTO recipe_ingredients SELECT g, 1 + g % 5000, 'ingredient ' || (g % 300), (g % 97) / 4.0, (ARRAY['g','ml','pcs'])[1 + g % 3] FROM generate_series(1,40000) g;
CREATE INDEX recipe_ingredients_recipe_id_idx ON recipe_ingredients(recipe_id);
ANALYZE;
