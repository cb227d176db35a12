-- Default data of the strategy core; all of it is editable by the network admin afterwards.

INSERT INTO taxonomy_terms (taxonomy, term_key, name, description, icon, color, position) VALUES
('field_of_action', 'mobilitaet', 'Mobilität', 'ÖPNV, Rad- und Fußverkehr, Parken, Sharing, Logistik', 'bus', '#1f5fa8', 1),
('field_of_action', 'verwaltung', 'Verwaltung & E-Government', 'Digitale Verwaltungsleistungen, OZG, Open Data, interne Prozesse', 'building', '#5b3a8c', 2),
('field_of_action', 'bildung', 'Bildung', 'Digitale Schulen, Medienkompetenz, lebenslanges Lernen', 'book', '#8a4b08', 3),
('field_of_action', 'energie-umwelt', 'Energie & Umwelt', 'Klimaschutz, erneuerbare Energie, Umweltmonitoring', 'leaf', '#2d6a2e', 4),
('field_of_action', 'handel-innenstadt', 'Handel & Innenstadt', 'Lebendige Innenstadt, lokaler Online-Handel, Leerstand', 'shop', '#a23b1e', 5),
('field_of_action', 'infrastruktur', 'Infrastruktur & Netze', 'Breitband, WLAN, Sensorik, urbane Datenplattform', 'network', '#3d4f5c', 6),
('field_of_action', 'gesundheit', 'Gesundheit & Pflege', 'Telemedizin, Pflege, Prävention', 'heart', '#9c1c4b', 7),
('field_of_action', 'wohnen-quartier', 'Wohnen & Quartier', 'Quartiersentwicklung, Nachbarschaft, altersgerechtes Wohnen', 'home', '#6b5b16', 8),
('field_of_action', 'wirtschaft', 'Wirtschaft & Arbeit', 'Standortmarketing, Gründungen, Coworking, Fachkräfte', 'briefcase', '#0e6b6b', 9),
('field_of_action', 'kultur-tourismus', 'Kultur & Tourismus', 'Kulturangebote, Stadtmarketing, digitale Stadtführungen', 'landmark', '#7a2f7a', 10),
('field_of_action', 'sicherheit', 'Sicherheit', 'Bevölkerungsschutz, Warnsysteme, IT-Sicherheit', 'shield', '#4a4a4a', 11),
('field_of_action', 'teilhabe', 'Zivilgesellschaft & Teilhabe', 'Beteiligung, Ehrenamt, digitale Teilhabe aller', 'people', '#1b6e4f', 12);

INSERT INTO taxonomy_terms (taxonomy, term_key, name, position) VALUES
('sdg', 'sdg-1', 'SDG 1: Keine Armut', 1),
('sdg', 'sdg-2', 'SDG 2: Kein Hunger', 2),
('sdg', 'sdg-3', 'SDG 3: Gesundheit und Wohlergehen', 3),
('sdg', 'sdg-4', 'SDG 4: Hochwertige Bildung', 4),
('sdg', 'sdg-5', 'SDG 5: Geschlechtergleichheit', 5),
('sdg', 'sdg-6', 'SDG 6: Sauberes Wasser und Sanitäreinrichtungen', 6),
('sdg', 'sdg-7', 'SDG 7: Bezahlbare und saubere Energie', 7),
('sdg', 'sdg-8', 'SDG 8: Menschenwürdige Arbeit und Wirtschaftswachstum', 8),
('sdg', 'sdg-9', 'SDG 9: Industrie, Innovation und Infrastruktur', 9),
('sdg', 'sdg-10', 'SDG 10: Weniger Ungleichheiten', 10),
('sdg', 'sdg-11', 'SDG 11: Nachhaltige Städte und Gemeinden', 11),
('sdg', 'sdg-12', 'SDG 12: Nachhaltige/r Konsum und Produktion', 12),
('sdg', 'sdg-13', 'SDG 13: Maßnahmen zum Klimaschutz', 13),
('sdg', 'sdg-14', 'SDG 14: Leben unter Wasser', 14),
('sdg', 'sdg-15', 'SDG 15: Leben an Land', 15),
('sdg', 'sdg-16', 'SDG 16: Frieden, Gerechtigkeit und starke Institutionen', 16),
('sdg', 'sdg-17', 'SDG 17: Partnerschaften zur Erreichung der Ziele', 17),
('charta', 'charta-1', 'Leitlinie 1: Ziele, Strategien und Strukturen', 1),
('charta', 'charta-2', 'Leitlinie 2: Transparenz, Teilhabe und Mitgestaltung', 2),
('charta', 'charta-3', 'Leitlinie 3: Infrastrukturen, Daten und Dienstleistungen', 3),
('charta', 'charta-4', 'Leitlinie 4: Ressourcen, Kompetenzen und Kooperationen', 4),
('stakeholder_group', 'verwaltung', 'Verwaltung', 1),
('stakeholder_group', 'politik', 'Politik', 2),
('stakeholder_group', 'handel', 'Handel', 3),
('stakeholder_group', 'kammern', 'IHK und Kammern', 4),
('stakeholder_group', 'bildung', 'Bildung', 5),
('stakeholder_group', 'wirtschaft', 'Wirtschaft', 6),
('stakeholder_group', 'wissenschaft', 'Wissenschaft', 7),
('stakeholder_group', 'versorger', 'Versorger und Stadtwerke', 8),
('stakeholder_group', 'vereine', 'Vereine und Initiativen', 9),
('stakeholder_group', 'buergerschaft', 'Bürgerschaft', 10);

INSERT INTO measure_statuses (status_key, name, position, is_final) VALUES
('idee', 'Idee', 1, FALSE),
('geprueft', 'geprüft', 2, FALSE),
('priorisiert', 'priorisiert', 3, FALSE),
('beschlossen', 'beschlossen', 4, FALSE),
('umsetzung', 'in Umsetzung', 5, FALSE),
('abgeschlossen', 'abgeschlossen', 6, TRUE),
('verstetigt', 'verstetigt', 7, TRUE),
('verworfen', 'verworfen', 8, TRUE);

INSERT INTO measure_status_transitions (from_key, to_key, min_role) VALUES
('idee', 'geprueft', 'editor'),
('geprueft', 'idee', 'editor'),
('geprueft', 'priorisiert', 'editor'),
('priorisiert', 'geprueft', 'editor'),
('priorisiert', 'beschlossen', 'coordinator'),
('beschlossen', 'umsetzung', 'coordinator'),
('umsetzung', 'abgeschlossen', 'coordinator'),
('umsetzung', 'verstetigt', 'coordinator'),
('abgeschlossen', 'verstetigt', 'coordinator'),
('idee', 'verworfen', 'coordinator'),
('geprueft', 'verworfen', 'coordinator'),
('priorisiert', 'verworfen', 'coordinator'),
('beschlossen', 'verworfen', 'coordinator'),
('umsetzung', 'verworfen', 'coordinator'),
('verworfen', 'idee', 'coordinator');

INSERT INTO phase_templates (position, name, description, planned_months) VALUES
(1, 'Auftakt & Bestandsaufnahme', 'Bestehende Projekte, Akteure (Stakeholder-Karte) und Ausgangslage erfassen.', 2),
(2, 'Strategiewerkstätten', 'In Werkstätten die eigene Smart-City-Definition (Leitbild) entwickeln.', 4),
(3, 'Handlungsfelder', 'Handlungsfelder auswählen und priorisieren, Ziele festlegen.', 3),
(4, 'Maßnahmen & Projektblätter', 'Maßnahmen entwickeln, Projektblätter mit Zielen und Zuständigkeiten erstellen.', 4),
(5, 'Beteiligung: Bedarfs- und Nutzenanalyse', 'Bedarfe erheben, Nutzen der Maßnahmen bewerten, priorisieren.', 3),
(6, 'Umsetzung erster Maßnahmen', 'Quick Wins umsetzen, Fortschritt berichten, Ergebnisse sichtbar machen.', 6),
(7, 'Umsetzungskonzept', 'Das Konzept zusammenstellen, beschließen lassen, Monitoring einrichten.', 2);
