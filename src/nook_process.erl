%% SPDX-License-Identifier: ISC
%% @doc A plain supervised process: its own session, a priority, resource limits, no new
%% privileges, killed with its supervisor; run as another user when nook runs as root.
%%
%% Config: `{priority, N}' (0), `{rlimit, [{Resource, #{cur, max}}]}' ([{rlimit_core, 0}]),
%% `{uid, Uid}' and `{gid, Gid}' (when nook runs as root), `{setuid, true}' to let setuid
%% programs gain privileges (default false: PR_SET_NO_NEW_PRIVS), `{environ, ["K=V"]}',
%% `{seccomp, none | default | Policy}' (none; see nook_seccomp), loaded last.
-module(nook_process).
-behaviour(nook_behaviour).

-export([task/1, init/1, ops/1, onerror/1, onexit/1]).
-export([supervise/1, process_ops/1, drop_privileges/2]).

%% Calls a supervisor needs: make children, end them, steer their output, nothing else.
-define(SUPERVISOR_CALLS,
        [clone, close, exit, fork, getpid, kill, setcpid, getcpid, sigaction, stdin_write,
         eof, getuid, getgid, cpid]).

-spec task(nook_behaviour:config()) -> {ok, nook:task()} | {error, term()}.
task(_Config) ->
    case nook:fork() of
        {ok, Supervisor} -> supervise(Supervisor);
        {error, _} = Error -> Error
    end.

%% @doc Restrict a fresh port to what a supervisor does; its children start unrestricted.
-spec supervise(nook:task()) -> {ok, nook:task()} | {error, term()}.
supervise(Supervisor) ->
    ok = nook:filter(Supervisor, {allow, ?SUPERVISOR_CALLS}, []),
    {ok, Supervisor}.

-spec init(nook_behaviour:config()) ->
    fun((nook:task()) -> {ok, [nook:task(), ...]} | {error, term()}).
init(_Config) ->
    fun(Supervisor) ->
            case nook:fork(Supervisor) of
                {ok, Child} -> {ok, [Child]};
                {error, _} = Error -> Error
            end
    end.

-spec ops(nook_behaviour:config()) -> [nook_op:op()].
ops(Config) ->
    [{setsid, []}, process_ops(Config), {?MODULE, drop_privileges, [Config]},
     nook_seccomp:ops(Config, none)].

%% @doc What every behaviour does to the process that will exec: priority, limits, no new
%% privileges unless asked, death with its parent.
-spec process_ops(nook_behaviour:config()) -> [nook_op:op()].
process_ops(Config) ->
    [{setpriority, [prio_process, 0, proplists:get_value(priority, Config, 0)]},
     [{setrlimit, [Resource, limit(Limit)]}
      || {Resource, Limit} <- proplists:get_value(rlimit, Config, [{rlimit_core, 0}])],
     case proplists:get_value(setuid, Config, false) of
         true -> [];
         false -> {prctl, [pr_set_no_new_privs, 1, 0, 0, 0]}
     end,
     {prctl, [pr_set_pdeathsig, 9, 0, 0, 0]}].

limit(#{cur := _, max := _} = Limit) -> Limit;
limit(N) -> #{cur => N, max => N}.

%% @doc As root with `{uid, U}' configured: no groups, then gid and uid for good.
-spec drop_privileges(nook:task(), nook_behaviour:config()) -> ok | [nook_op:op()].
drop_privileges(Task, Config) ->
    %% No uid configured, nothing to ask the task (a round trip on every start otherwise).
    case proplists:get_value(uid, Config) of
        Uid when is_integer(Uid) ->
            case nook:getuid(Task) of
                0 ->
                    Gid = proplists:get_value(gid, Config, Uid),
                    [{setgroups, [[]]}, {setresgid, [Gid, Gid, Gid]}, {setresuid, [Uid, Uid, Uid]}];
                _ ->
                    ok
            end;
        _ ->
            ok
    end.

-spec onerror(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onerror(_Config) -> fun(_Tree) -> ok end.

%% Stopping the supervisor kills and reaps the child and all it left behind.
-spec onexit(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onexit(_Config) -> fun(_Tree) -> ok end.
