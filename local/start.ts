// Placeholder until the local platform lands (issue 4): see README.
console.error(
  "npm start: the local platform is being built; run a service with npm run start -w services/<name>.",
);
process.exit(1);
