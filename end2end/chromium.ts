// Debian's Chromium with the flags this machine needs (`npx playwright
// install` cannot work here), for every Playwright config of the project.
export const chromium = {
  launchOptions: {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};
