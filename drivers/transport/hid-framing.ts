/**
 * Pure framing of RP/1 and SAM bytes inside 64-byte HID reports (rating-pad-rp1.md "Over HID",
 * id-reader-sam.md "USB HID"): byte 0 = number of payload bytes in this report (1 … 63), then those bytes,
 * zero-padded. Report ID 0.
 */
export const HID_REPORT_SIZE = 64;
export const HID_PAYLOAD_MAX = HID_REPORT_SIZE - 1;

/** Cuts a byte stream into 64-byte reports (without the report-ID byte node-hid wants in front on write). */
export function splitIntoReports(bytes: Uint8Array): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += HID_PAYLOAD_MAX) {
    const part = bytes.subarray(offset, offset + HID_PAYLOAD_MAX);
    const report = new Uint8Array(HID_REPORT_SIZE);
    report[0] = part.length;
    report.set(part, 1);
    reports.push(report);
  }
  return reports;
}

/**
 * The payload of one received report, or undefined when the count byte is out of range (0 or > 63, or
 * longer than the report): such a report is dropped whole and counted by the caller.
 * Some hidapi back-ends deliver the report ID 0 in front (65 bytes): `withReportId` strips it.
 */
export function joinReport(report: Uint8Array, withReportId = false): Uint8Array | undefined {
  const body = withReportId ? report.subarray(1) : report;
  const count = body[0] ?? 0;
  if (count < 1 || count > HID_PAYLOAD_MAX || count > body.length - 1) return undefined;
  return body.subarray(1, 1 + count);
}
