//! Measure lists as CSV (German Excel dialect) and XLSX.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};

use crate::{ExportError, MeasureRow};

/// Column names of the measure list, in order.
pub const CSV_HEADER: [&str; 12] = [
    "ID",
    "Titel",
    "Status",
    "Handlungsfeld",
    "Priorität",
    "Quick Win",
    "Federführung",
    "Beginn",
    "Ende",
    "Investitionskosten (EUR)",
    "Sichtbarkeit",
    "Geändert",
];

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Spreadsheet programs evaluate cells starting with these characters as
/// formulas ("CSV injection"); such text gets a leading apostrophe.
fn neutralise_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "ja" } else { "nein" }
}

/// Measure list as CSV: UTF-8 with BOM, `;` as separator, CRLF line ends,
/// header row with German column names, numbers unformatted, dates as given (ISO).
/// Text fields that would start a spreadsheet formula are prefixed with `'`.
pub fn measures_csv(rows: &[MeasureRow]) -> Result<Vec<u8>, ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(UTF8_BOM.to_vec());
    writer.write_record(CSV_HEADER)?;
    for row in rows {
        writer.write_record([
            row.id.to_string(),
            neutralise_formula(&row.title),
            neutralise_formula(&row.status),
            neutralise_formula(&row.primary_field),
            neutralise_formula(&row.priority),
            yes_no(row.quick_win).to_owned(),
            neutralise_formula(&row.lead),
            neutralise_formula(row.start.as_deref().unwrap_or_default()),
            neutralise_formula(row.end.as_deref().unwrap_or_default()),
            row.investment_costs_eur
                .map(|v| v.to_string())
                .unwrap_or_default(),
            neutralise_formula(&row.visibility),
            neutralise_formula(&row.updated_at),
        ])?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Csv(csv::Error::from(e.into_error())))
}

/// Parses an ISO date (`2026-03-01`) as Excel date.
fn excel_date(value: &str) -> Option<ExcelDateTime> {
    let value = value.trim();
    if value.len() != 10 {
        return None;
    }
    ExcelDateTime::parse_from_str(value).ok()
}

/// Measure list as XLSX: one sheet "Maßnahmen", bold frozen header row with
/// autofilter; IDs and costs as numbers, ISO dates as Excel dates, everything
/// else as text (text cells are never interpreted as formulas).
pub fn measures_xlsx(rows: &[MeasureRow]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let header_format = Format::new()
        .set_bold()
        .set_background_color("#E8E8E8")
        .set_align(FormatAlign::Top);
    let date_format = Format::new().set_num_format("dd.mm.yyyy");
    let money_format = Format::new().set_num_format("#,##0");

    let sheet = workbook.add_worksheet();
    sheet.set_name("Maßnahmen")?;
    for (col, name) in (0u16..).zip(CSV_HEADER) {
        sheet.write_string_with_format(0, col, name, &header_format)?;
    }

    for (row_num, row) in (1u32..).zip(rows) {
        // Excel numbers are doubles; IDs and euro amounts are far below 2^53.
        sheet.write_number(row_num, 0, row.id as f64)?;
        sheet.write_string(row_num, 1, row.title.as_str())?;
        sheet.write_string(row_num, 2, row.status.as_str())?;
        sheet.write_string(row_num, 3, row.primary_field.as_str())?;
        sheet.write_string(row_num, 4, row.priority.as_str())?;
        sheet.write_string(row_num, 5, yes_no(row.quick_win))?;
        sheet.write_string(row_num, 6, row.lead.as_str())?;
        for (col, value) in [(7u16, &row.start), (8u16, &row.end)] {
            if let Some(value) = value.as_deref() {
                match excel_date(value) {
                    Some(date) => {
                        sheet.write_datetime_with_format(row_num, col, &date, &date_format)?
                    }
                    None => sheet.write_string(row_num, col, value)?,
                };
            }
        }
        if let Some(costs) = row.investment_costs_eur {
            sheet.write_number_with_format(row_num, 9, costs as f64, &money_format)?;
        }
        sheet.write_string(row_num, 10, row.visibility.as_str())?;
        sheet.write_string(row_num, 11, row.updated_at.as_str())?;
    }

    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet.autofilter(0, 0, last_row, 11)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(workbook.save_to_buffer()?)
}

/// Any table as CSV (same conventions as [`measures_csv`]: BOM, `;`, CRLF, formulas neutralised).
pub fn table_csv(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(UTF8_BOM.to_vec());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(row.iter().map(|c| neutralise_formula(c)))?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.into_error().into()))
}

/// Any table as XLSX with a bold header row; cells that are plain numbers are written as numbers.
pub fn table_xlsx(
    sheet_name: &str,
    header: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let header_format = Format::new().set_bold().set_background_color("#E8E8E8");
    let sheet = workbook.add_worksheet();
    let name: String = sheet_name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(if name.is_empty() {
        "Ergebnisse".to_string()
    } else {
        name
    })?;
    for (col, h) in (0u16..).zip(header) {
        sheet.write_string_with_format(0, col, h, &header_format)?;
    }
    for (r, row) in (1u32..).zip(rows) {
        for (col, cell) in (0u16..).zip(row) {
            match cell.parse::<f64>() {
                Ok(n) if n.is_finite() && !cell.starts_with('+') => {
                    sheet.write_number(r, col, n)?
                }
                _ => sheet.write_string(r, col, cell)?,
            };
        }
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("Radweg"), "Radweg");
    }
}
