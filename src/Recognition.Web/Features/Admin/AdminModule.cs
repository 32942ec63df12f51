using Recognition.Web.Features.Admin.Catalogue;
using Recognition.Web.Features.Admin.People;
using Recognition.Web.Infrastructure.Web;

namespace Recognition.Web.Features.Admin;

public static class AdminModule
{
    public static IServiceCollection AddAdmin(this IServiceCollection s) => s
        .AddSingleton<PeopleAdmin>().AddSingleton<PeopleSearch>().AddSingleton<AdminLookups>().AddSingleton<PeopleImport>().AddSingleton<ImportUploads>()
        .AddSingleton<Organisation.OrgAdmin>()
        .AddSingleton<CatalogueAdmin>().AddSingleton<CatalogueFile>().AddSingleton<RulePreview>()
        .AddSingleton<Policy.PolicyAdmin>().AddSingleton<Budgets.BudgetAdmin>()
        .AddSingleton(new UploadLimit("/Admin/Import", PeopleCsv.MaxBytes + UploadLimits.FormSlack, "import-error", "Import.TooBig", PeopleCsv.MaxBytes / 1024 / 1024))
        .AddSingleton(new UploadLimit("/Admin/Catalogue", CatalogueFile.MaxBytes + UploadLimits.FormSlack, "catalogue-error", "Catalogue.FileTooBig", CatalogueFile.MaxBytes / 1024 / 1024))
        .AddSingleton(new UploadLimit("/Admin/Organisation", Printing.CertificateBranding.LogoMaxBytes + UploadLimits.FormSlack, "org-error", "Certificate.LogoTooLarge",
            Printing.CertificateBranding.LogoMaxBytes / 1024, Printing.CertificateBranding.LogoMaxPixels))
        .AddSingleton(new UploadLimit("/Admin/Rewards/Item", 16 * 1024 * 1024, "item-error", "Error.PhotoTooLarge", RulesOptions.Product.PhotoMaxBytes / (1024 * 1024)));
}
