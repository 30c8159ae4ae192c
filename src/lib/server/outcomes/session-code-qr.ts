import QRCode from 'qrcode';

// The session code put up on a screen in the hall: the address young people open on their
// phones, with the code already filled in, and that address as a QR code drawn on the server
// (an inline SVG: the CSP allows no script to draw it in the browser).

/** The public form's address with the code filled in: /q reads `code` from the query. */
export function sessionCodeAddress(origin: string, code: string): string {
	return `${origin}/q?code=${encodeURIComponent(code)}`;
}

export const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#0b0c0c', light: '#ffffff' } } as const;

/** The address as a QR code, an SVG document to put inline in the page. */
export async function sessionCodeQrSvg(address: string): Promise<string> {
	return QRCode.toString(address, QR_OPTIONS);
}
