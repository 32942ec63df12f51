// The shared rules and the data seam every feature uses; named once here instead of at the top of every file.
global using System.Data.Common;
global using Dapper;
global using Recognition.Web.Domain;
global using Recognition.Web.Infrastructure.Auth;
global using Recognition.Web.Infrastructure.Data;
