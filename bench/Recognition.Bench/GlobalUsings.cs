// The shared rules every benchmark reaches for.
global using Recognition.Web.Domain;
