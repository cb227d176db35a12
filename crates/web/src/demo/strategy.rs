//! Demo strategy content for the pilot cities: a definition, fields of action with goals, stakeholders and
//! measures with complete project sheets in various states. Everything is flagged as demo content and loaded
//! only into a city that has no measures yet, so loading twice changes nothing.

use crate::error::AppError;
use domain::measure::{FieldChange, Priority, Sheet, TimeHorizon};
use domain::process::add_months;
use domain::visibility::Visibility;
use store::Db;
use store::measures::Origin;

/// One demo measure; the long texts of its sheet are written from these facts.
struct M {
    title: &'static str,
    short: &'static str,
    field: &'static str,
    further: &'static [&'static str],
    status: &'static str,
    visibility: Visibility,
    priority: Priority,
    horizon: TimeHorizon,
    quick_win: bool,
    lead_unit: &'static str,
    start: &'static str,
    months: i64,
    invest: i64,
    operating: i64,
    fte: f64,
    funding: &'static str,
    rate: f64,
    groups: &'static [&'static str],
    kpi: (&'static str, &'static str, f64, f64),
    risks: &'static [&'static str],
    sdgs: &'static [&'static str],
}

use Priority::{Hoch, Mittel, Niedrig};
use TimeHorizon::{Kurz, Lang, Mittel as Mittelfristig};
use Visibility::{Intern, Netzwerk, Oeffentlich};

const ARNSBERG: &[M] = &[
    M {
        title: "Digitale Parkraumsteuerung Neheim",
        short: "Sensoren melden freie Stellplätze in den Parkhäusern und an der Straße; eine Karte und Anzeigetafeln leiten den Suchverkehr.",
        field: "mobilitaet",
        further: &["handel-innenstadt"],
        status: "umsetzung",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Fachdienst Verkehr",
        start: "2025-09-01",
        months: 18,
        invest: 420_000,
        operating: 28_000,
        fte: 0.5,
        funding: "Modellprojekte Smart Cities (KfW 436)",
        rate: 65.0,
        groups: &[
            "Pendlerinnen und Pendler",
            "Besucherinnen und Besucher der Innenstadt",
            "Einzelhandel",
        ],
        kpi: (
            "Parksuchverkehr in der Innenstadt",
            "Fahrzeuge/Tag",
            5200.0,
            3900.0,
        ),
        risks: &[
            "Lieferverzögerung der Sensoren",
            "Akzeptanz der Anzeigetafeln",
        ],
        sdgs: &["sdg-11", "sdg-13"],
    },
    M {
        title: "Mobilitätsstation am Bahnhof Neheim-Hüsten",
        short: "Bahn, Bus, Leihräder, Carsharing und sichere Radabstellanlagen an einem Ort, mit einer App buchbar.",
        field: "mobilitaet",
        further: &["energie-umwelt"],
        status: "beschlossen",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Fachdienst Stadtplanung",
        start: "2026-04-01",
        months: 24,
        invest: 780_000,
        operating: 45_000,
        fte: 0.5,
        funding: "Förderrichtlinie Nahmobilität NRW",
        rate: 70.0,
        groups: &["Pendlerinnen und Pendler", "Schülerinnen und Schüler"],
        kpi: ("Ausleihen an der Station", "Ausleihen/Monat", 0.0, 1500.0),
        risks: &[
            "Flächenverfügbarkeit am Bahnhof",
            "Betreiber für Carsharing",
        ],
        sdgs: &["sdg-11", "sdg-13", "sdg-7"],
    },
    M {
        title: "On-Demand-Shuttle für die Ortsteile",
        short: "Ein per App und Telefon bestellbares Kleinbus-Angebot verbindet die Ortsteile abends und am Wochenende.",
        field: "mobilitaet",
        further: &["teilhabe"],
        status: "geprueft",
        visibility: Netzwerk,
        priority: Mittel,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Stadtwerke Arnsberg, Bereich ÖPNV",
        start: "2026-09-01",
        months: 24,
        invest: 350_000,
        operating: 210_000,
        fte: 1.0,
        funding: "ÖPNV-Zukunftsprogramm NRW",
        rate: 50.0,
        groups: &["Ältere Menschen", "Jugendliche", "Menschen ohne Auto"],
        kpi: ("Fahrgäste im Shuttle", "Fahrgäste/Woche", 0.0, 800.0),
        risks: &["Hohe Betriebskosten", "Fahrpersonal"],
        sdgs: &["sdg-11", "sdg-10"],
    },
    M {
        title: "Digitales Bürgerbüro: 30 Online-Dienste",
        short: "Die 30 meistgenutzten Verwaltungsleistungen sind vollständig online nutzbar, mit Bezahlung und Bescheid digital.",
        field: "verwaltung",
        further: &[],
        status: "umsetzung",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Kurz,
        quick_win: false,
        lead_unit: "Fachdienst Digitalisierung und IT",
        start: "2025-03-01",
        months: 20,
        invest: 260_000,
        operating: 40_000,
        fte: 2.0,
        funding: "OZG-Umsetzung NRW",
        rate: 40.0,
        groups: &["Bürgerinnen und Bürger", "Unternehmen"],
        kpi: ("Vollständig digitale Leistungen", "Leistungen", 6.0, 30.0),
        risks: &[
            "Schnittstellen zu Fachverfahren",
            "Personalengpass in der IT",
        ],
        sdgs: &["sdg-16"],
    },
    M {
        title: "Open-Data-Portal der Stadt Arnsberg",
        short: "Die Stadt veröffentlicht Haushalts-, Verkehrs- und Umweltdaten offen und maschinenlesbar.",
        field: "verwaltung",
        further: &["infrastruktur"],
        status: "abgeschlossen",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Fachdienst Digitalisierung und IT",
        start: "2025-01-15",
        months: 6,
        invest: 35_000,
        operating: 6_000,
        fte: 0.3,
        funding: "",
        rate: 0.0,
        groups: &["Entwicklerinnen und Entwickler", "Presse", "Wissenschaft"],
        kpi: ("Veröffentlichte Datensätze", "Datensätze", 0.0, 40.0),
        risks: &["Datenqualität"],
        sdgs: &["sdg-16", "sdg-17"],
    },
    M {
        title: "Termin-App für das Bürgerbüro",
        short: "Termine für das Bürgerbüro online buchen, mit Erinnerung und Wartemarke auf dem Smartphone.",
        field: "verwaltung",
        further: &[],
        status: "verstetigt",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Bürgerbüro",
        start: "2024-10-01",
        months: 3,
        invest: 12_000,
        operating: 3_000,
        fte: 0.1,
        funding: "",
        rate: 0.0,
        groups: &["Bürgerinnen und Bürger"],
        kpi: ("Wartezeit im Bürgerbüro", "Minuten", 38.0, 10.0),
        risks: &["Ausfall des Buchungssystems"],
        sdgs: &["sdg-16"],
    },
    M {
        title: "Lokaler Online-Marktplatz „Arnsberg bringt's“",
        short: "Händlerinnen und Händler der Innenstadt verkaufen gemeinsam online, mit Lieferung per Lastenrad am selben Tag.",
        field: "handel-innenstadt",
        further: &["wirtschaft"],
        status: "umsetzung",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Wirtschaftsförderung",
        start: "2025-06-01",
        months: 12,
        invest: 90_000,
        operating: 24_000,
        fte: 0.5,
        funding: "Sofortprogramm Innenstadt NRW",
        rate: 90.0,
        groups: &["Einzelhandel", "Kundinnen und Kunden"],
        kpi: ("Teilnehmende Geschäfte", "Geschäfte", 0.0, 60.0),
        risks: &["Zu wenige teilnehmende Händler", "Logistikkosten"],
        sdgs: &["sdg-8", "sdg-11"],
    },
    M {
        title: "Kostenloses WLAN in der Altstadt",
        short: "Freies WLAN auf Marktplatz, Neumarkt und in der Fußgängerzone, betrieben mit Freifunk und Stadtwerken.",
        field: "infrastruktur",
        further: &["handel-innenstadt"],
        status: "abgeschlossen",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Stadtwerke Arnsberg",
        start: "2025-02-01",
        months: 5,
        invest: 48_000,
        operating: 9_000,
        fte: 0.1,
        funding: "WLAN-Förderung des Landes",
        rate: 80.0,
        groups: &["Besucherinnen und Besucher", "Einzelhandel"],
        kpi: ("Verbindungen pro Tag", "Verbindungen", 0.0, 1500.0),
        risks: &["Vandalismus an Zugangspunkten"],
        sdgs: &["sdg-9"],
    },
    M {
        title: "Leerstandsmanagement mit digitalem Kataster",
        short: "Ein Kataster erfasst Leerstände, Eigentümer und Nutzungsideen; Interessenten finden passende Flächen online.",
        field: "handel-innenstadt",
        further: &[],
        status: "priorisiert",
        visibility: Netzwerk,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Wirtschaftsförderung",
        start: "2026-02-01",
        months: 12,
        invest: 60_000,
        operating: 12_000,
        fte: 0.5,
        funding: "Sofortprogramm Innenstadt NRW",
        rate: 90.0,
        groups: &["Eigentümerinnen und Eigentümer", "Gründerinnen und Gründer"],
        kpi: ("Leerstandsquote Innenstadt", "%", 11.5, 7.0),
        risks: &[
            "Datenschutz bei Eigentümerdaten",
            "Mitwirkung der Eigentümer",
        ],
        sdgs: &["sdg-11", "sdg-8"],
    },
    M {
        title: "Digitale Schulen: Ausstattung und Support",
        short: "Alle Schulen erhalten Glasfaser, WLAN in jedem Raum und einen gemeinsamen IT-Support.",
        field: "bildung",
        further: &["infrastruktur"],
        status: "umsetzung",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Fachdienst Schule und Sport",
        start: "2024-08-01",
        months: 30,
        invest: 1_850_000,
        operating: 160_000,
        fte: 3.0,
        funding: "DigitalPakt Schule",
        rate: 90.0,
        groups: &["Schülerinnen und Schüler", "Lehrkräfte"],
        kpi: ("Schulen mit WLAN in allen Räumen", "Schulen", 4.0, 22.0),
        risks: &["Handwerkerkapazität", "Folgekosten für Ersatzbeschaffung"],
        sdgs: &["sdg-4"],
    },
    M {
        title: "Medienkompetenz-Kurse für Seniorinnen und Senioren",
        short: "Ehrenamtliche Digitallotsen helfen in Stadtteiltreffs beim Umgang mit Smartphone und Online-Diensten.",
        field: "teilhabe",
        further: &["bildung"],
        status: "abgeschlossen",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Fachstelle Zukunft Alter",
        start: "2025-03-01",
        months: 9,
        invest: 15_000,
        operating: 8_000,
        fte: 0.3,
        funding: "Digitale Teilhabe im Alter (Land NRW)",
        rate: 80.0,
        groups: &["Ältere Menschen", "Ehrenamtliche"],
        kpi: ("Teilnehmende an Kursen", "Personen", 0.0, 300.0),
        risks: &["Zu wenige Ehrenamtliche"],
        sdgs: &["sdg-4", "sdg-10"],
    },
    M {
        title: "Smarte Straßenbeleuchtung",
        short: "LED-Leuchten mit Bewegungssensoren dimmen nachts, wo niemand unterwegs ist, und melden Störungen selbst.",
        field: "energie-umwelt",
        further: &["infrastruktur", "sicherheit"],
        status: "priorisiert",
        visibility: Netzwerk,
        priority: Mittel,
        horizon: Lang,
        quick_win: false,
        lead_unit: "Technische Betriebe",
        start: "2026-05-01",
        months: 36,
        invest: 2_400_000,
        operating: -0,
        fte: 0.5,
        funding: "Kommunalrichtlinie (NKI)",
        rate: 40.0,
        groups: &["Alle Einwohnerinnen und Einwohner"],
        kpi: (
            "Stromverbrauch der Straßenbeleuchtung",
            "MWh/Jahr",
            3100.0,
            1400.0,
        ),
        risks: &["Lieferketten für Leuchten", "Lichtverschmutzung"],
        sdgs: &["sdg-7", "sdg-13"],
    },
    M {
        title: "Energiemonitoring kommunaler Gebäude",
        short: "Zähler in 40 städtischen Gebäuden melden Verbräuche; Auffälligkeiten werden automatisch gemeldet.",
        field: "energie-umwelt",
        further: &["verwaltung"],
        status: "beschlossen",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Kurz,
        quick_win: false,
        lead_unit: "Zentrales Gebäudemanagement",
        start: "2026-01-15",
        months: 12,
        invest: 180_000,
        operating: 15_000,
        fte: 0.5,
        funding: "Kommunalrichtlinie (NKI)",
        rate: 50.0,
        groups: &["Gebäudemanagement", "Schulen und Kitas"],
        kpi: ("Energieverbrauch der Gebäude", "MWh/Jahr", 14800.0, 12600.0),
        risks: &["Zugang zu alten Zählern"],
        sdgs: &["sdg-7", "sdg-13"],
    },
    M {
        title: "Beteiligungsplattform für Bürgerideen",
        short: "Bürgerinnen und Bürger bringen Ideen ein, kommentieren und sehen, was aus ihnen geworden ist.",
        field: "teilhabe",
        further: &["verwaltung"],
        status: "idee",
        visibility: Intern,
        priority: Mittel,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Stabsstelle Bürgerbeteiligung",
        start: "2026-10-01",
        months: 6,
        invest: 25_000,
        operating: 10_000,
        fte: 0.5,
        funding: "",
        rate: 0.0,
        groups: &["Bürgerinnen und Bürger", "Vereine"],
        kpi: ("Eingereichte Ideen", "Ideen/Jahr", 0.0, 200.0),
        risks: &["Erwartungsmanagement"],
        sdgs: &["sdg-16"],
    },
    M {
        title: "Hochwasser-Frühwarnsystem an der Ruhr",
        short: "Pegelsensoren an Ruhr und Nebenbächen warnen Anwohnende und Feuerwehr frühzeitig per App und Sirene.",
        field: "sicherheit",
        further: &["energie-umwelt", "infrastruktur"],
        status: "geprueft",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Feuerwehr und Bevölkerungsschutz",
        start: "2026-06-01",
        months: 18,
        invest: 320_000,
        operating: 22_000,
        fte: 0.3,
        funding: "Klimaanpassung NRW",
        rate: 60.0,
        groups: &["Anwohnende an Gewässern", "Feuerwehr"],
        kpi: ("Vorwarnzeit bei Hochwasser", "Stunden", 1.0, 6.0),
        risks: &["Sensorausfall bei Hochwasser", "Fehlalarme"],
        sdgs: &["sdg-11", "sdg-13"],
    },
    M {
        title: "Digitaler Stadtrundgang mit Augmented Reality",
        short: "Ein App-Rundgang zeigt historische Ansichten der Altstadt auf dem Smartphone.",
        field: "kultur-tourismus",
        further: &[],
        status: "verworfen",
        visibility: Intern,
        priority: Niedrig,
        horizon: Kurz,
        quick_win: false,
        lead_unit: "Kultur und Stadtmarketing",
        start: "2025-05-01",
        months: 6,
        invest: 70_000,
        operating: 8_000,
        fte: 0.2,
        funding: "",
        rate: 0.0,
        groups: &["Touristinnen und Touristen"],
        kpi: ("Nutzende der App", "Personen/Jahr", 0.0, 5000.0),
        risks: &["Geringe Nutzung", "Pflegeaufwand der Inhalte"],
        sdgs: &["sdg-11"],
    },
];

const SIEGEN: &[M] = &[
    M {
        title: "Adaptive Ampelsteuerung auf der HTS",
        short: "Ampeln an der Hüttentalstraße passen ihre Phasen der Verkehrslage an und priorisieren Busse.",
        field: "mobilitaet",
        further: &["energie-umwelt"],
        status: "umsetzung",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Abteilung Verkehrsplanung",
        start: "2025-04-01",
        months: 24,
        invest: 1_100_000,
        operating: 60_000,
        fte: 1.0,
        funding: "Kommunaler Klimaschutz NRW",
        rate: 50.0,
        groups: &["Autofahrende", "Fahrgäste im Busverkehr"],
        kpi: ("Reisezeit Bus Weidenau–Zentrum", "Minuten", 19.0, 15.0),
        risks: &["Abstimmung mit Straßen.NRW"],
        sdgs: &["sdg-11", "sdg-13"],
    },
    M {
        title: "Radverkehrszählung mit Sensoren",
        short: "Dauerzählstellen erfassen den Radverkehr an zwölf Punkten und veröffentlichen die Zahlen live.",
        field: "mobilitaet",
        further: &["verwaltung"],
        status: "abgeschlossen",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Abteilung Verkehrsplanung",
        start: "2025-03-01",
        months: 5,
        invest: 55_000,
        operating: 5_000,
        fte: 0.1,
        funding: "Förderrichtlinie Nahmobilität NRW",
        rate: 75.0,
        groups: &["Radfahrende", "Verkehrsplanung"],
        kpi: (
            "Radfahrten pro Tag (alle Zählstellen)",
            "Fahrten",
            4100.0,
            6000.0,
        ),
        risks: &["Messfehler bei Nässe"],
        sdgs: &["sdg-11", "sdg-3"],
    },
    M {
        title: "Echtzeit-Fahrgastinformation an Haltestellen",
        short: "Digitale Anzeiger an 60 Haltestellen zeigen Abfahrten in Echtzeit, vorgelesen auf Knopfdruck.",
        field: "mobilitaet",
        further: &["teilhabe"],
        status: "beschlossen",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Verkehrsbetriebe Westfalen-Süd",
        start: "2026-03-01",
        months: 18,
        invest: 950_000,
        operating: 70_000,
        fte: 0.5,
        funding: "ÖPNV-Digitalisierungsoffensive NRW",
        rate: 80.0,
        groups: &["Fahrgäste", "Menschen mit Sehbehinderung"],
        kpi: (
            "Haltestellen mit Echtzeitanzeige",
            "Haltestellen",
            8.0,
            68.0,
        ),
        risks: &["Stromanschluss an Haltestellen"],
        sdgs: &["sdg-11", "sdg-10"],
    },
    M {
        title: "Urbane Datenplattform Siegen",
        short: "Eine offene Plattform bündelt Sensordaten, Verkehrs- und Umweltdaten und stellt sie über Schnittstellen bereit.",
        field: "infrastruktur",
        further: &["verwaltung"],
        status: "umsetzung",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Lang,
        quick_win: false,
        lead_unit: "Amt für Digitalisierung",
        start: "2025-01-01",
        months: 30,
        invest: 680_000,
        operating: 95_000,
        fte: 2.0,
        funding: "Modellprojekte Smart Cities (KfW 436)",
        rate: 65.0,
        groups: &["Verwaltung", "Unternehmen", "Wissenschaft"],
        kpi: ("Angebundene Datenquellen", "Quellen", 0.0, 35.0),
        risks: &["Betrieb nach Förderende", "Datenschutz"],
        sdgs: &["sdg-9", "sdg-17"],
    },
    M {
        title: "LoRaWAN-Funknetz für Sensorik",
        short: "Ein stadtweites Funknetz verbindet energiesparende Sensoren für Umwelt, Parken und Füllstände.",
        field: "infrastruktur",
        further: &[],
        status: "abgeschlossen",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Stadtwerke Siegen",
        start: "2024-11-01",
        months: 6,
        invest: 85_000,
        operating: 12_000,
        fte: 0.2,
        funding: "",
        rate: 0.0,
        groups: &["Verwaltung", "Unternehmen"],
        kpi: ("Abdeckung des Stadtgebiets", "%", 0.0, 95.0),
        risks: &["Standorte für Gateways"],
        sdgs: &["sdg-9"],
    },
    M {
        title: "Reallabor Innenstadt mit der Universität Siegen",
        short: "Studierende und Forschende erproben mit Bürgerinnen und Bürgern neue Lösungen für die Oberstadt.",
        field: "bildung",
        further: &["handel-innenstadt", "teilhabe"],
        status: "priorisiert",
        visibility: Netzwerk,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Stabsstelle Smart City",
        start: "2026-04-01",
        months: 24,
        invest: 240_000,
        operating: 60_000,
        fte: 1.0,
        funding: "Wissenschaftsstadt-Förderung",
        rate: 50.0,
        groups: &["Studierende", "Einzelhandel", "Bürgerinnen und Bürger"],
        kpi: ("Erprobte Prototypen", "Prototypen", 0.0, 8.0),
        risks: &["Verstetigung nach Projektende"],
        sdgs: &["sdg-4", "sdg-11", "sdg-17"],
    },
    M {
        title: "MINT-Makerspace in der Stadtbibliothek",
        short: "3D-Drucker, Lasercutter und Elektronik-Werkbank für Kinder, Jugendliche und alle Neugierigen.",
        field: "bildung",
        further: &["teilhabe"],
        status: "umsetzung",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Stadtbibliothek",
        start: "2025-09-01",
        months: 8,
        invest: 65_000,
        operating: 18_000,
        fte: 0.5,
        funding: "Förderprogramm Dritte Orte",
        rate: 70.0,
        groups: &["Kinder und Jugendliche", "Schulen"],
        kpi: ("Besuche im Makerspace", "Besuche/Monat", 0.0, 600.0),
        risks: &["Betreuungspersonal"],
        sdgs: &["sdg-4"],
    },
    M {
        title: "Coworking-Space im Leerstand der Oberstadt",
        short: "Ein ehemaliges Ladenlokal wird zum Coworking-Space mit Tagesplätzen für Pendelnde und Gründende.",
        field: "wirtschaft",
        further: &["handel-innenstadt"],
        status: "beschlossen",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: false,
        lead_unit: "Wirtschaftsförderung",
        start: "2026-02-01",
        months: 9,
        invest: 140_000,
        operating: 36_000,
        fte: 0.5,
        funding: "Sofortprogramm Innenstadt NRW",
        rate: 90.0,
        groups: &["Gründerinnen und Gründer", "Pendelnde"],
        kpi: ("Auslastung der Arbeitsplätze", "%", 0.0, 65.0),
        risks: &["Nachfrage", "Mietvertrag"],
        sdgs: &["sdg-8", "sdg-11"],
    },
    M {
        title: "Gründungsportal für Start-ups",
        short: "Ein Portal führt Gründende durch Formalitäten, Förderung und Ansprechpartner in der Region.",
        field: "wirtschaft",
        further: &["verwaltung"],
        status: "geprueft",
        visibility: Netzwerk,
        priority: Mittel,
        horizon: Kurz,
        quick_win: false,
        lead_unit: "Wirtschaftsförderung",
        start: "2026-06-01",
        months: 6,
        invest: 45_000,
        operating: 10_000,
        fte: 0.3,
        funding: "",
        rate: 0.0,
        groups: &["Gründerinnen und Gründer"],
        kpi: ("Beratene Gründungen", "Gründungen/Jahr", 40.0, 80.0),
        risks: &["Pflege der Inhalte"],
        sdgs: &["sdg-8"],
    },
    M {
        title: "Fachkräfte-Plattform Südwestfalen",
        short: "Arbeitgeber der Region präsentieren sich gemeinsam; Zuziehende finden Jobs, Wohnungen und Kitaplätze an einem Ort.",
        field: "wirtschaft",
        further: &["wohnen-quartier"],
        status: "idee",
        visibility: Intern,
        priority: Niedrig,
        horizon: Lang,
        quick_win: false,
        lead_unit: "Wirtschaftsförderung",
        start: "2027-01-01",
        months: 18,
        invest: 200_000,
        operating: 50_000,
        fte: 1.0,
        funding: "REGIONALE Südwestfalen",
        rate: 60.0,
        groups: &["Fachkräfte", "Unternehmen"],
        kpi: ("Vermittelte Fachkräfte", "Personen/Jahr", 0.0, 150.0),
        risks: &["Beteiligung der Nachbarkreise"],
        sdgs: &["sdg-8"],
    },
    M {
        title: "Click & Collect für Oberstadt-Händler",
        short: "Kundinnen und Kunden reservieren online und holen am selben Tag im Geschäft ab.",
        field: "handel-innenstadt",
        further: &[],
        status: "verstetigt",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Stadtmarketing Siegen",
        start: "2024-09-01",
        months: 4,
        invest: 30_000,
        operating: 7_000,
        fte: 0.2,
        funding: "Sofortprogramm Innenstadt NRW",
        rate: 90.0,
        groups: &["Einzelhandel", "Kundinnen und Kunden"],
        kpi: ("Teilnehmende Geschäfte", "Geschäfte", 0.0, 45.0),
        risks: &["Nutzung durch Kleinhändler"],
        sdgs: &["sdg-8"],
    },
    M {
        title: "Passantenfrequenzmessung in der Fußgängerzone",
        short: "Anonyme Laserzähler messen die Passantenfrequenz; Händler und Stadtmarketing sehen Trends im Dashboard.",
        field: "handel-innenstadt",
        further: &["infrastruktur"],
        status: "abgeschlossen",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: false,
        lead_unit: "Stadtmarketing Siegen",
        start: "2025-02-01",
        months: 4,
        invest: 38_000,
        operating: 6_000,
        fte: 0.1,
        funding: "",
        rate: 0.0,
        groups: &["Einzelhandel", "Stadtmarketing"],
        kpi: ("Passanten pro Samstag", "Personen", 21000.0, 25000.0),
        risks: &["Akzeptanz (Datenschutz)"],
        sdgs: &["sdg-11"],
    },
    M {
        title: "Telemedizin-Sprechstunde in Pflegeheimen",
        short: "Hausärztinnen und -ärzte halten Visiten per Video; Pflegekräfte übermitteln Vitalwerte sicher.",
        field: "gesundheit",
        further: &[],
        status: "priorisiert",
        visibility: Netzwerk,
        priority: Hoch,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Gesundheitsamt",
        start: "2026-05-01",
        months: 12,
        invest: 120_000,
        operating: 30_000,
        fte: 0.5,
        funding: "Landesinitiative eHealth.NRW",
        rate: 70.0,
        groups: &["Pflegebedürftige", "Pflegekräfte", "Hausärzte"],
        kpi: (
            "Vermiedene Krankentransporte",
            "Transporte/Jahr",
            0.0,
            400.0,
        ),
        risks: &["Breitband in Heimen", "Abrechnung"],
        sdgs: &["sdg-3"],
    },
    M {
        title: "Digitale Pflegeplatzbörse",
        short: "Freie Kurzzeit- und Dauerpflegeplätze der Region tagesaktuell an einem Ort.",
        field: "gesundheit",
        further: &["teilhabe"],
        status: "geprueft",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Sozialamt, Pflegeberatung",
        start: "2026-03-01",
        months: 6,
        invest: 28_000,
        operating: 6_000,
        fte: 0.2,
        funding: "",
        rate: 0.0,
        groups: &["Angehörige", "Krankenhaus-Sozialdienste"],
        kpi: ("Suchdauer für einen Pflegeplatz", "Tage", 9.0, 3.0),
        risks: &["Meldedisziplin der Einrichtungen"],
        sdgs: &["sdg-3", "sdg-10"],
    },
    M {
        title: "Sensorgestützte Behindertenparkplätze",
        short: "Sensoren zeigen freie Behindertenparkplätze in einer barrierefreien App.",
        field: "mobilitaet",
        further: &["teilhabe"],
        status: "idee",
        visibility: Intern,
        priority: Niedrig,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Abteilung Verkehrsplanung",
        start: "2026-09-01",
        months: 4,
        invest: 22_000,
        operating: 3_000,
        fte: 0.1,
        funding: "",
        rate: 0.0,
        groups: &["Menschen mit Behinderung"],
        kpi: ("Ausgestattete Stellplätze", "Stellplätze", 0.0, 80.0),
        risks: &["Missbrauch der Stellplätze"],
        sdgs: &["sdg-10", "sdg-11"],
    },
];

const WASSENBERG: &[M] = &[
    M {
        title: "Bürgerbus mit digitaler Buchung",
        short: "Der ehrenamtliche Bürgerbus wird per App und Telefon buchbar und fährt nach Bedarf.",
        field: "mobilitaet",
        further: &["teilhabe"],
        status: "idee",
        visibility: Oeffentlich,
        priority: Hoch,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Ordnungsamt, Verkehr",
        start: "2027-01-01",
        months: 6,
        invest: 18_000,
        operating: 6_000,
        fte: 0.2,
        funding: "Bürgerbus-Förderung NRW",
        rate: 80.0,
        groups: &["Ältere Menschen", "Menschen ohne Auto"],
        kpi: ("Fahrgäste im Bürgerbus", "Fahrgäste/Monat", 350.0, 600.0),
        risks: &["Ehrenamtliche Fahrerinnen und Fahrer"],
        sdgs: &["sdg-11", "sdg-10"],
    },
    M {
        title: "E-Bike-Verleih an der Burg",
        short: "Eine Verleihstation mit E-Bikes am Burgberg für Besuchende und Einheimische.",
        field: "mobilitaet",
        further: &["kultur-tourismus"],
        status: "geprueft",
        visibility: Oeffentlich,
        priority: Mittel,
        horizon: Kurz,
        quick_win: true,
        lead_unit: "Tourismus und Stadtmarketing",
        start: "2027-04-01",
        months: 4,
        invest: 40_000,
        operating: 9_000,
        fte: 0.1,
        funding: "LEADER-Region Heinsberger Land",
        rate: 65.0,
        groups: &["Touristinnen und Touristen", "Einheimische"],
        kpi: ("Ausleihen", "Ausleihen/Saison", 0.0, 1200.0),
        risks: &["Diebstahl", "Saisonabhängigkeit"],
        sdgs: &["sdg-11", "sdg-13"],
    },
    M {
        title: "Pendlerportal mit Mitfahrbörse",
        short: "Pendelnde nach Mönchengladbach, Heinsberg und Roermond finden Mitfahrgelegenheiten.",
        field: "mobilitaet",
        further: &[],
        status: "idee",
        visibility: Intern,
        priority: Mittel,
        horizon: Mittelfristig,
        quick_win: false,
        lead_unit: "Ordnungsamt, Verkehr",
        start: "2027-06-01",
        months: 6,
        invest: 15_000,
        operating: 4_000,
        fte: 0.1,
        funding: "",
        rate: 0.0,
        groups: &["Pendlerinnen und Pendler"],
        kpi: ("Registrierte Pendelnde", "Personen", 0.0, 400.0),
        risks: &["Kritische Masse an Nutzenden"],
        sdgs: &["sdg-11", "sdg-13"],
    },
];

/// City-level facts: definition versions, fields with priority and rationale, goals, stakeholders.
struct CityDemo {
    measures: &'static [M],
    definition: &'static [&'static str],
    definition_status: &'static str,
    definition_visibility: &'static str,
    fields: &'static [(&'static str, &'static str, &'static str)],
    goals: &'static [(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        f64,
        f64,
        i64,
    )],
    stakeholders: &'static [(&'static str, &'static str, &'static str)],
    process_start: &'static str,
    phases_done: i64,
    center: (f64, f64),
    dependencies: &'static [(usize, usize)],
}

const ARNSBERG_DEMO: CityDemo = CityDemo {
    measures: ARNSBERG,
    definition: &[
        "## Arnsberg: vernetzt, nah und für alle Generationen\n\nArnsberg nutzt Digitalisierung, um das Leben in den Ortsteilen und in der Innenstadt einfacher zu machen. Im Mittelpunkt stehen die Menschen aller Generationen.\n\n- Wege werden kürzer: Mobilität wird vernetzt.\n- Die Verwaltung ist rund um die Uhr erreichbar.\n- Die Innenstädte bleiben lebendige Orte.",
        "## Arnsberg: vernetzt, nah und für alle Generationen\n\nArnsberg nutzt Digitalisierung gezielt, um das Leben in allen Ortsteilen und in den Innenstädten einfacher, nachhaltiger und gemeinsamer zu machen. Im Mittelpunkt stehen die Menschen aller Generationen – niemand wird zurückgelassen.\n\n- **Wege werden kürzer:** Bus, Bahn, Rad und Sharing werden vernetzt.\n- **Die Verwaltung ist rund um die Uhr erreichbar** und arbeitet offen mit Daten.\n- **Die Innenstädte bleiben lebendige Orte** für Handel, Begegnung und Kultur.\n- **Klimaschutz wird messbar:** Energie wird dort gespart, wo Daten es zeigen.\n\n*Demo-Inhalt der Smart City Werkstatt.*",
    ],
    definition_status: "beschlossen",
    definition_visibility: "oeffentlich",
    fields: &[
        (
            "mobilitaet",
            "hoch",
            "Viele Ortsteile sind schlecht angebunden; Pendelnde und Ältere brauchen bessere Verbindungen.",
        ),
        (
            "verwaltung",
            "hoch",
            "Die Verwaltung will Wege und Wartezeiten sparen und offen mit Daten umgehen.",
        ),
        (
            "handel-innenstadt",
            "hoch",
            "Neheim und die Altstadt verlieren Frequenz; Handel und Gastronomie brauchen digitale Sichtbarkeit.",
        ),
        (
            "bildung",
            "mittel",
            "Schulen sollen zeitgemäß lernen können; Medienkompetenz für alle Generationen.",
        ),
        (
            "energie-umwelt",
            "mittel",
            "Die Klimaziele der Stadt verlangen messbare Einsparungen in eigenen Gebäuden und Anlagen.",
        ),
        (
            "teilhabe",
            "mittel",
            "Arnsberg als Stadt des langen Lebens: digitale Teilhabe älterer Menschen sichern.",
        ),
    ],
    goals: &[
        (
            "mobilitaet",
            "Weniger Parksuchverkehr in der Innenstadt",
            "Parksuchverkehr",
            "Fahrzeuge/Tag",
            5200.0,
            3900.0,
            2028,
        ),
        (
            "mobilitaet",
            "Mehr Wege mit Bus, Bahn und Rad",
            "Anteil Umweltverbund am Modal Split",
            "%",
            31.0,
            40.0,
            2030,
        ),
        (
            "verwaltung",
            "Alle häufigen Verwaltungsleistungen online",
            "Vollständig digitale Leistungen",
            "Leistungen",
            6.0,
            30.0,
            2027,
        ),
        (
            "handel-innenstadt",
            "Leerstand in den Innenstädten senken",
            "Leerstandsquote",
            "%",
            11.5,
            7.0,
            2028,
        ),
        (
            "bildung",
            "Jede Schule digital arbeitsfähig",
            "Schulen mit WLAN in allen Räumen",
            "Schulen",
            4.0,
            22.0,
            2027,
        ),
        (
            "energie-umwelt",
            "Energieverbrauch städtischer Gebäude senken",
            "Energieverbrauch",
            "MWh/Jahr",
            14800.0,
            12600.0,
            2028,
        ),
        (
            "teilhabe",
            "Ältere Menschen digital begleiten",
            "Teilnehmende an Kursen",
            "Personen/Jahr",
            0.0,
            300.0,
            2026,
        ),
    ],
    stakeholders: &[
        (
            "organisation",
            "Stadt Arnsberg, Fachdienst Digitalisierung",
            "verwaltung",
        ),
        ("organisation", "Stadtwerke Arnsberg", "versorger"),
        ("organisation", "Werbegemeinschaft Neheim", "handel"),
        ("organisation", "IHK Arnsberg, Hellweg-Sauerland", "kammern"),
        (
            "organisation",
            "Fachhochschule Südwestfalen",
            "wissenschaft",
        ),
        ("organisation", "Seniorenbeirat Arnsberg", "buergerschaft"),
        (
            "person",
            "Dr. Lena Hoffmann (Demo), Smart-City-Koordination",
            "verwaltung",
        ),
        ("person", "Markus Schulte (Demo), Ratsfraktion", "politik"),
    ],
    process_start: "2025-01-01",
    phases_done: 5,
    center: (8.0648, 51.3966),
    dependencies: &[(0, 1), (6, 7), (13, 4)],
};

const SIEGEN_DEMO: CityDemo = CityDemo {
    measures: SIEGEN,
    definition: &[
        "## Siegen: Universitätsstadt, die Daten für alle nutzt\n\nSiegen verbindet Forschung, Wirtschaft und Stadtgesellschaft. Eine offene Datenplattform ist das Rückgrat.\n\n- Verkehr fließt besser und klimafreundlicher.\n- Die Oberstadt wird zum Reallabor.\n- Gesundheit und Pflege kommen näher zu den Menschen.\n\n*Demo-Inhalt der Smart City Werkstatt.*",
    ],
    definition_status: "abgestimmt",
    definition_visibility: "oeffentlich",
    fields: &[
        (
            "mobilitaet",
            "hoch",
            "Hohe Verkehrsbelastung auf HTS und in den Tälern; Busse stehen im Stau.",
        ),
        (
            "bildung",
            "hoch",
            "Die Universität ist Partnerin; Siegen will Wissen in die Stadt tragen.",
        ),
        (
            "wirtschaft",
            "hoch",
            "Fachkräftemangel und Gründungen sind die Themen der Region.",
        ),
        (
            "handel-innenstadt",
            "mittel",
            "Die Oberstadt braucht Frequenz und neue Nutzungen.",
        ),
        (
            "infrastruktur",
            "mittel",
            "Sensorik und Datenplattform sind Grundlage aller Vorhaben.",
        ),
        (
            "gesundheit",
            "mittel",
            "Pflege im ländlichen Umland muss erreichbar bleiben.",
        ),
    ],
    goals: &[
        (
            "mobilitaet",
            "Busse schneller durch die Stadt",
            "Reisezeit Bus Weidenau–Zentrum",
            "Minuten",
            19.0,
            15.0,
            2027,
        ),
        (
            "mobilitaet",
            "Mehr Radverkehr",
            "Radfahrten pro Tag",
            "Fahrten",
            4100.0,
            6000.0,
            2028,
        ),
        (
            "bildung",
            "Wissen aus der Universität in die Stadt",
            "Erprobte Prototypen",
            "Prototypen",
            0.0,
            8.0,
            2028,
        ),
        (
            "wirtschaft",
            "Mehr Gründungen",
            "Beratene Gründungen",
            "Gründungen/Jahr",
            40.0,
            80.0,
            2028,
        ),
        (
            "infrastruktur",
            "Eine offene Datenplattform für alle",
            "Angebundene Datenquellen",
            "Quellen",
            0.0,
            35.0,
            2027,
        ),
        (
            "gesundheit",
            "Pflegeplätze schneller finden",
            "Suchdauer",
            "Tage",
            9.0,
            3.0,
            2027,
        ),
    ],
    stakeholders: &[
        (
            "organisation",
            "Stadt Siegen, Amt für Digitalisierung",
            "verwaltung",
        ),
        ("organisation", "Universität Siegen", "wissenschaft"),
        ("organisation", "Stadtwerke Siegen", "versorger"),
        ("organisation", "IHK Siegen", "kammern"),
        (
            "organisation",
            "Verkehrsbetriebe Westfalen-Süd",
            "wirtschaft",
        ),
        ("organisation", "Citymanagement Oberstadt", "handel"),
        (
            "person",
            "Jana Krämer (Demo), Stabsstelle Smart City",
            "verwaltung",
        ),
        (
            "person",
            "Prof. Tobias Weber (Demo), Universität",
            "wissenschaft",
        ),
    ],
    process_start: "2025-01-01",
    phases_done: 5,
    center: (8.0243, 50.8748),
    dependencies: &[(4, 3), (3, 1), (5, 10)],
};

const WASSENBERG_DEMO: CityDemo = CityDemo {
    measures: WASSENBERG,
    definition: &[
        "## Wassenberg bewegt sich\n\nEntwurf: Wassenberg setzt zuerst auf bessere Mobilität für Alt und Jung – im Ort, zur Burg und zu den Arbeitsplätzen in der Region.\n\n*Demo-Inhalt der Smart City Werkstatt.*",
    ],
    definition_status: "entwurf",
    definition_visibility: "intern",
    fields: &[
        (
            "mobilitaet",
            "hoch",
            "Ohne Auto ist Wassenberg schwer zu erreichen; Ältere und Jugendliche sind besonders betroffen.",
        ),
        (
            "handel-innenstadt",
            "mittel",
            "Der Ortskern soll belebt werden.",
        ),
    ],
    goals: &[(
        "mobilitaet",
        "Mobil ohne eigenes Auto",
        "Fahrgäste im Bürgerbus",
        "Fahrgäste/Monat",
        350.0,
        600.0,
        2028,
    )],
    stakeholders: &[
        (
            "organisation",
            "Stadt Wassenberg, Ordnungsamt",
            "verwaltung",
        ),
        ("organisation", "Bürgerbusverein Wassenberg", "vereine"),
        ("organisation", "Werbegemeinschaft Wassenberg", "handel"),
    ],
    process_start: "2026-06-01",
    phases_done: 1,
    center: (6.1513, 51.1009),
    dependencies: &[],
};

fn demo_for(slug: &str) -> Option<&'static CityDemo> {
    match slug {
        "arnsberg" => Some(&ARNSBERG_DEMO),
        "siegen" => Some(&SIEGEN_DEMO),
        "wassenberg" => Some(&WASSENBERG_DEMO),
        _ => None,
    }
}

const STATUS_ORDER: [&str; 8] = [
    "idee",
    "geprueft",
    "priorisiert",
    "beschlossen",
    "umsetzung",
    "abgeschlossen",
    "verstetigt",
    "verworfen",
];

/// Load the strategy content of one pilot city, unless it already has measures.
pub async fn load_strategy(
    db: &Db,
    municipality_id: i64,
    slug: &str,
    author: Option<i64>,
) -> Result<(), AppError> {
    let Some(demo) = demo_for(slug) else {
        return Ok(());
    };
    if store::measures::count(db, municipality_id).await? > 0 {
        return Ok(());
    }
    // Process: phases back to back from the start, the first ones done, the next one active.
    store::process::instantiate(db, municipality_id, demo.process_start, add_months).await?;
    for mut p in store::process::phases(db, municipality_id).await? {
        if p.position <= demo.phases_done {
            p.status = "abgeschlossen".into();
            p.actual_start = p.planned_start.clone();
            p.actual_end = p.planned_end.clone();
        } else if p.position == demo.phases_done + 1 {
            p.status = "aktiv".into();
            p.actual_start = p.planned_start.clone();
        }
        store::process::update_phase(db, municipality_id, &p).await?;
    }
    // Definition versions and status.
    if let Some(author) = author {
        for (i, body) in demo.definition.iter().enumerate() {
            let note = if i == 0 {
                "Ergebnis der ersten Strategiewerkstatt"
            } else {
                "Überarbeitung nach der zweiten Werkstatt"
            };
            store::definitions::save(db, municipality_id, i as i64, body, note, author).await?;
        }
        let decision = (demo.definition_status == "beschlossen").then_some((
            "2025-12-11",
            "Vorlage 2025/417",
            "https://ratsinfo.example.org/vorlage/2025-417",
        ));
        store::definitions::set_status(db, municipality_id, demo.definition_status, decision)
            .await?;
        store::definitions::set_visibility(db, municipality_id, demo.definition_visibility).await?;
        store::definitions::add_comment(
            db,
            municipality_id,
            demo.definition.len() as i64,
            author,
            "Bitte in der nächsten Werkstatt mit dem Seniorenbeirat abstimmen.",
        )
        .await?;
    }
    // Fields, goals, stakeholders.
    let terms = store::taxonomy::all(db).await?;
    let term = |tax: &str, key: &str| {
        terms
            .iter()
            .find(|t| t.taxonomy == tax && t.term_key == key)
            .map(|t| t.id)
    };
    for (key, prio, why) in demo.fields {
        if let Some(id) = term("field_of_action", key) {
            store::fields::select(db, municipality_id, id, prio, why).await?;
        }
    }
    let mut goal_ids: Vec<(&str, i64)> = Vec::new();
    for (key, text, indicator, unit, base, target, year) in demo.goals {
        if let Some(field_id) = term("field_of_action", key) {
            let g = store::fields::NewGoal {
                field_id,
                text,
                indicator,
                unit,
                baseline: Some(*base),
                target_value: Some(*target),
                target_year: Some(*year),
            };
            goal_ids.push((key, store::fields::add_goal(db, municipality_id, &g).await?));
        }
    }
    let mut stakeholders = Vec::new();
    for (kind, name, group) in demo.stakeholders {
        let id = store::stakeholders::create(
            db,
            municipality_id,
            kind,
            name,
            term("stakeholder_group", group),
            None,
            "",
        )
        .await?;
        stakeholders.push(id);
    }
    // Measures.
    let mut ids = Vec::new();
    for (i, m) in demo.measures.iter().enumerate() {
        let lead = stakeholders.get(i % stakeholders.len().max(1)).copied();
        let (lon, lat) = demo.center;
        let offset = (i as f64 - 7.0) * 0.0021;
        let sheet = Sheet {
            title: m.title.into(),
            short_description: m.short.into(),
            visibility: Some(m.visibility),
            primary_field_id: term("field_of_action", m.field),
            further_field_ids: m.further.iter().filter_map(|k| term("field_of_action", k)).collect(),
            goal_ids: goal_ids.iter().filter(|(k, _)| *k == m.field).map(|(_, id)| *id).take(1).collect(),
            tag_ids: m
                .sdgs
                .iter()
                .filter_map(|k| term("sdg", k))
                .chain(term("charta", if m.field == "teilhabe" { "charta-2" } else { "charta-3" }))
                .collect(),
            initial_situation: format!(
                "{} Ausgangspunkt waren Hinweise aus der Strategiewerkstatt und aus Gesprächen mit {}. Der Bedarf wurde in der Bestandsaufnahme bestätigt.",
                m.short,
                m.groups.join(", ")
            ),
            target_groups: m.groups.iter().map(|g| g.to_string()).collect(),
            impact_output: format!("{} ist eingerichtet und in Betrieb.", m.title),
            impact_outcome: format!("Die Zielgruppen ({}) nutzen das Angebot regelmäßig; die Kennzahl „{}“ verbessert sich.", m.groups.join(", "), m.kpi.0),
            impact_impact: "Ein messbarer Beitrag zu den Zielen der Smart-City-Strategie und zu einer lebenswerten, klimafreundlichen Stadt.".into(),
            lead_unit: m.lead_unit.into(),
            lead_stakeholder_id: lead,
            start_date: Some(m.start.into()),
            end_date: add_months(m.start, m.months),
            time_horizon: Some(m.horizon),
            priority: Some(m.priority),
            quick_win: m.quick_win,
            investment_costs: Some(m.invest),
            operating_costs: Some(m.operating),
            staff_need_fte: Some(m.fte),
            funding_own_share_pct: (m.rate > 0.0).then_some(100.0 - m.rate),
            funding_programme: m.funding.into(),
            funding_rate_pct: (m.rate > 0.0).then_some(m.rate),
            risks: m.risks.iter().map(|r| r.to_string()).collect(),
            council_decision_date: (STATUS_ORDER.iter().position(|s| *s == m.status) >= Some(3) && m.status != "verworfen")
                .then(|| m.start.to_string()),
            council_decision_link: String::new(),
            participation_form: "Strategiewerkstatt und Online-Beteiligung".into(),
            location_geojson: format!(r#"{{"type": "Point", "coordinates": [{:.4}, {:.4}]}}"#, lon + offset, lat + offset / 2.0),
            data_protection: "Es werden keine personenbezogenen Daten verarbeitet oder nur anonymisiert ausgewertet; eine Datenschutz-Folgenabschätzung ist nicht erforderlich.".into(),
            licence: "EUPL-1.2".into(),
            repository: String::new(),
            transferability: "Gut übertragbar auf Kommunen ähnlicher Größe; Ausschreibungsunterlagen und Erfahrungen stellt die Stadt im Netzwerk bereit.".into(),
            contact: format!("{}, smartcity@{}.example.org", m.lead_unit, slug),
        };
        let id = store::measures::create(
            db,
            municipality_id,
            &sheet,
            m.status,
            author,
            Origin {
                is_demo: true,
                ..Default::default()
            },
        )
        .await?;
        ids.push(id);
        // Partners and RACI from the city's stakeholders.
        if let (Some(author), Some(lead)) = (author, lead) {
            let partner = stakeholders[(i + 1) % stakeholders.len()];
            store::measure_parts::set_partner(db, id, partner, "Fachliche Begleitung").await?;
            store::measure_parts::set_raci(db, id, lead, [true, true, false, false]).await?;
            store::measure_parts::set_raci(db, id, partner, [false, false, true, true]).await?;
            let kpi = store::measure_parts::NewKpi {
                name: m.kpi.0,
                unit: m.kpi.1,
                baseline: Some(m.kpi.2),
                target: Some(m.kpi.3),
                method: "Auswertung der Betriebsdaten",
                data_source: m.lead_unit,
                interval: "quartalsweise",
            };
            let kpi_id = store::measure_parts::add_kpi(db, id, &kpi).await?;
            if matches!(m.status, "umsetzung" | "abgeschlossen" | "verstetigt") {
                for (q, share) in [(3, 0.3), (6, 0.6), (9, 0.85)] {
                    if let Some(date) = add_months(m.start, q) {
                        let value = m.kpi.2 + (m.kpi.3 - m.kpi.2) * share;
                        store::measure_parts::add_measurement(
                            db,
                            id,
                            kpi_id,
                            &date,
                            (value * 10.0).round() / 10.0,
                        )
                        .await?;
                    }
                }
            }
            let started = matches!(m.status, "umsetzung" | "abgeschlossen" | "verstetigt");
            if let Some(due) = add_months(m.start, 2) {
                let ms = store::process::add_milestone(
                    db,
                    municipality_id,
                    None,
                    Some(id),
                    "Ausschreibung und Vergabe",
                    Some(&due),
                )
                .await?;
                if started {
                    store::process::set_milestone_done(db, municipality_id, ms, Some(&due)).await?;
                }
            }
            if let Some(due) = add_months(m.start, m.months) {
                store::process::add_milestone(
                    db,
                    municipality_id,
                    None,
                    Some(id),
                    "Inbetriebnahme",
                    Some(&due),
                )
                .await?;
            }
            let note = vec![FieldChange {
                field: "partners".into(),
                before: String::new(),
                after: "Fachliche Begleitung".into(),
            }];
            store::measures::record_change(db, municipality_id, id, author, &note).await?;
        }
    }
    for (a, b) in demo.dependencies {
        if let (Some(x), Some(y)) = (ids.get(*a), ids.get(*b)) {
            store::measure_parts::add_dependency(db, municipality_id, *x, *y, |edges| {
                domain::graph::cycle_with(edges, *x, *y)
            })
            .await?;
        }
    }
    // An upcoming workshop with agenda (in two months, 17:00–20:00 Berlin time).
    if let (Some(author), Some(date)) = (author, add_months(&crate::view::today(), 2)) {
        let input = domain::workshop::WorkshopInput {
            title: "Strategiewerkstatt: Maßnahmen priorisieren".into(),
            format_key: "strategiewerkstatt".into(),
            date,
            start_time: "17:00".into(),
            end_time: "20:00".into(),
            place: "Rathaus, Großer Sitzungssaal".into(),
            capacity: "40".into(),
            purpose: "Gemeinsam mit Verwaltung, Politik, Handel und Bürgerschaft die Maßnahmen für die Umsetzung auswählen. (Demo)".into(),
            visibility: "oeffentlich".into(),
            ..Default::default()
        };
        if let Ok(draft) = input.parse(&["strategiewerkstatt".to_string()]) {
            let w = store::workshops::create(db, municipality_id, &draft, author).await?;
            for (title, minutes) in [
                ("Begrüßung und Stand des Prozesses", 15),
                ("Marktplatz der Maßnahmen", 60),
                ("Punktabstimmung", 30),
                ("Nächste Schritte", 15),
            ] {
                store::workshops::add_agenda_item(db, w, title, minutes).await?;
            }
            demo_board(db, w).await?;
        }
    }
    // Phase milestones.
    let phases = store::process::phases(db, municipality_id).await?;
    for p in phases.iter().take(3) {
        store::process::add_milestone(
            db,
            municipality_id,
            Some(p.id),
            None,
            &format!("Abschluss: {}", p.name),
            p.planned_end.as_deref(),
        )
        .await?;
    }
    Ok(())
}

/// A live board with a few cards from a first collection round, two of them in a cluster.
async fn demo_board(db: &store::Db, workshop_id: i64) -> store::StoreResult<()> {
    let mut bytes = [0u8; domain::board::CODE_LEN];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    store::boards::create(
        db,
        workshop_id,
        &domain::board::code_from_bytes(&bytes),
        true,
    )
    .await?;
    let cluster = store::boards::add_cluster(db, workshop_id, "Innenstadt beleben").await?;
    for (text, category, clustered) in [
        (
            "Leerstände sichtbar machen und für Pop-up-Läden öffnen",
            "idee",
            true,
        ),
        ("Freies WLAN auf dem Marktplatz", "bedarf", true),
        ("Engagierte Händlergemeinschaft", "staerke", false),
        ("Parkplatzsuche kostet Zeit", "schwaeche", false),
    ] {
        let card = store::boards::NewCard {
            participant_id: None,
            text,
            category: Some(category),
            cluster_id: clustered.then_some(cluster.id),
            rate: None,
        };
        store::boards::add_card(db, workshop_id, &card).await?;
    }
    Ok(())
}
