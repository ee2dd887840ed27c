/** Vite turns an imported asset into its URL (emitted as a file: assetsInlineLimit is 0). */
declare module '*.wav' {
  const url: string;
  export default url;
}
