/** The build writes .next/standalone with its own server.js. */
const config = {
  // output: 'export' would make a static site instead
  output: 'standalone',
  poweredByHeader: false,
};

export default config;
