using IpsOutcomes.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IpsOutcomes.Identity;

public static class UsersApi
{
    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/", List).WithName("ListUsers").WithSummary("The users the caller may see: who can see what, and when last seen");
        users.MapGet("/{id:long}", Get).WithName("GetUser").WithSummary("One user");
        users.MapPost("/", Invite).WithName("InviteUser")
            .WithSummary("Invite a person by the e-mail they sign in with (admin: anyone; ICB: its providers' staff; team lead: own team)");
        users.MapPatch("/{id:long}", Change).WithName("ChangeUser").WithSummary("Change a user's role or scope, or suspend or reinstate them");
        users.MapDelete("/{id:long}", Remove).WithName("RemoveUser").WithSummary("Remove a user; their sessions end at once");
        return users;
    }

    private static async Task<Ok<UserView[]>> List(Caller caller, UserAdministration administration, CancellationToken ct) =>
        TypedResults.Ok((await administration.VisibleAsync(caller, ct)).Select(UserView.From).ToArray());

    private static async Task<Results<Ok<UserView>, ProblemHttpResult>> Get(long id, Caller caller, UserAdministration administration,
        CancellationToken ct) =>
        await administration.VisibleAsync(caller, id, ct) is { } user ? TypedResults.Ok(UserView.From(user)) : NoSuchUser(id);

    private static async Task<Results<Created<UserView>, ValidationProblem, ProblemHttpResult>> Invite(UserInvitation invitation,
        Caller caller, UserAdministration administration, HttpContext http, CancellationToken ct)
    {
        var outcome = await administration.InviteAsync(caller, invitation, http.Connection.RemoteIpAddress?.ToString(), ct);
        return outcome switch
        {
            { Errors: { } errors } => Problems.Invalid(errors),
            { Forbidden: { } why } => Problems.Forbidden(why),
            _ => TypedResults.Created($"/api/v1/users/{outcome.User!.Id}", UserView.From(outcome.User)),
        };
    }

    private static async Task<Results<Ok<UserView>, ValidationProblem, ProblemHttpResult>> Change(long id, UserChange change, Caller caller,
        UserAdministration administration, HttpContext http, CancellationToken ct) =>
        Answer(id, await administration.ChangeAsync(caller, id, change, http.Connection.RemoteIpAddress?.ToString(), ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(long id, Caller caller, UserAdministration administration,
        HttpContext http, CancellationToken ct) =>
        await administration.RemoveAsync(caller, id, http.Connection.RemoteIpAddress?.ToString(), ct) switch
        {
            { NotFound: true } => NoSuchUser(id),
            { Forbidden: { } why } => Problems.Forbidden(why),
            _ => TypedResults.NoContent(),
        };

    private static Results<Ok<UserView>, ValidationProblem, ProblemHttpResult> Answer(long id, UserOutcome outcome) => outcome switch
    {
        { NotFound: true } => NoSuchUser(id),
        { Errors: { } errors } => Problems.Invalid(errors),
        { Forbidden: { } why } => Problems.Forbidden(why),
        _ => TypedResults.Ok(UserView.From(outcome.User!)),
    };

    private static ProblemHttpResult NoSuchUser(long id) => Problems.NotFound($"There is no user {id} that this caller may see.");
}
