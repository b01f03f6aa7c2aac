// The remote's own page: the shell loads ./App (src/app.tsx) from the manifest and never runs this.
void import('./app');
