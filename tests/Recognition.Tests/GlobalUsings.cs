// The shared rules every test and benchmark reaches for.
global using Recognition.Web.Domain;
