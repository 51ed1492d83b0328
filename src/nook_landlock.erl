%% SPDX-License-Identifier: ISC
%% @doc What a program may touch, by Landlock (landlock(7)): the files beneath listed paths
%% and the TCP ports listed, for the program and everything it starts, with no namespace and
%% no privilege. Every behaviour takes it as an option:
%% ```
%% {landlock, #{read => ["/usr", "/tmp"], exec => ["/usr"], write => ["/tmp"],
%%              connect => [443], bind => [], scope => [signal], strict => true}}
%% '''
%% - `read': read files and list directories beneath each path;
%% - `exec': execute files beneath each path (and read them: the loader maps libraries);
%% - `write': everything that changes files beneath each path: write, truncate, make and
%%   remove files, directories, links, sockets and fifos, rename into and out of it, and
%%   ioctl(2) on devices opened there (an ioctl changes a device);
%% - `bind', `connect': the TCP ports a program may bind, or connect to (ABI 4);
%% - `scope': `abstract_unix_socket' (no connecting to an abstract unix socket made outside
%%   the sandbox) and `signal' (no signal to a process outside it) (ABI 6);
%% - `strict': refuse to start where the kernel cannot enforce a right asked for.
%%
%% A class named in the map is restricted to what it lists, a class not named is left
%% alone: naming any of read, write and exec restricts all file access (so `exec' must
%% list where the program and `/bin/sh' are: nook_stream runs commands through it);
%% `bind => []' forbids every bind. A terminal (nook_stream's `pty') is opened after
%% Landlock, by the task itself: `/dev/pts' must be in `read' and `write', or the start
%% fails with `{pty, eacces}'. A path is a directory (everything beneath it) or a
%% file; it must exist when the program starts, inside its root for a container.
%%
%% The kernel's Landlock ABI decides what can be enforced: supported/0 says what this
%% node's can. A right it cannot enforce is never dropped silently: with `strict' the start
%% fails with `{landlock, {unenforceable, Rights}}'; without, the start goes on and a
%% warning names them (once per node and set). Landlock is applied after every step of a
%% start that touches files, followed only by the call filters (nook_notify's, then the
%% seccomp policy). It needs no_new_privs (every behaviour sets it unless `{setuid, true}')
%% or CAP_SYS_ADMIN in the task's user namespace.
%%
%% What Landlock does not cover: the files a program had open before (its stdio), chdir,
%% stat and the like on any path, chmod and chown (ABI 7 still), UDP and other protocols.
-module(nook_landlock).

-export([supported/0, abi/0, plan/2, ops/1, restrict/2, option/0]).

-export_type([spec/0, right/0]).

-type spec() :: #{read => [iodata()], write => [iodata()], exec => [iodata()],
                  bind => [0..65535], connect => [0..65535],
                  scope => [abstract_unix_socket | signal], strict => boolean()}.
%% What supported/0 and unenforceable starts name: the classes of spec() and the parts of
%% `write' later ABIs brought.
-type right() :: read | write | exec | truncate | ioctl_dev | bind | connect
               | abstract_unix_socket | signal.

%% The kernel's rights by the ABI that brought them.
-define(FS_RIGHTS,
        [{1, [execute, write_file, read_file, read_dir, remove_dir, remove_file, make_char,
              make_dir, make_reg, make_sock, make_fifo, make_block, make_sym]},
         {2, [refer]}, {3, [truncate]}, {5, [ioctl_dev]}]).
-define(FILE_RIGHTS, [execute, write_file, read_file, truncate, ioctl_dev]).
-define(READ, [read_file, read_dir]).
-define(EXEC, [execute, read_file]).
-define(WRITE, [write_file, remove_dir, remove_file, make_char, make_dir, make_reg, make_sock,
                make_fifo, make_block, make_sym, refer, truncate, ioctl_dev]).
-define(NET_ABI, 4).
-define(SCOPE_ABI, 6).
-define(OPEN_PATH, [o_path, o_cloexec]).

%% @doc The option's type, for nook_options.
-spec option() -> nook_options:type().
option() ->
    {map, [{read, {list, iodata}}, {write, {list, iodata}}, {exec, {list, iodata}},
           {bind, {list, {integer, 0, 65535}}}, {connect, {list, {integer, 0, 65535}}},
           {scope, {list, {oneof, [abstract_unix_socket, signal]}}}, {strict, boolean}]}.

%% @doc What this node's kernel enforces: its Landlock ABI (0 without Landlock), the rights
%% of spec() it can enforce and those it cannot.
-spec supported() -> #{abi := non_neg_integer(), enforced := [right()], unenforced := [right()]}.
supported() -> supported_at(abi()).

supported_at(ABI) ->
    All = [read, write, exec, bind, connect, {scope, [abstract_unix_socket, signal]}],
    #{unenforced := Missing} =
        plan(#{read => [], write => [], exec => [], bind => [], connect => [],
               scope => [abstract_unix_socket, signal]}, ABI),
    Rights = lists:append([case R of {scope, S} -> S; _ -> [R] end || R <- All])
             ++ [truncate, ioctl_dev],
    #{abi => ABI, enforced => [R || R <- Rights, not lists:member(R, Missing)],
      unenforced => Missing}.

%% @doc The kernel's Landlock ABI (0: no Landlock), asked once per node of a port of its
%% own: a task's answer could be its seccomp filter's (enosys), not the kernel's.
-spec abi() -> non_neg_integer().
abi() ->
    case cached_abi() of
        undefined ->
            case ask_kernel() of
                {ok, ABI} ->
                    persistent_term:put({?MODULE, abi}, ABI),
                    ABI;
                {error, Off} when Off =:= enosys; Off =:= enotsup; Off =:= eopnotsupp ->
                    %% Landlock not built in, or off at boot: so it stays for this kernel.
                    persistent_term:put({?MODULE, abi}, 0),
                    0;
                {error, _} ->
                    0 % no verdict on the kernel: asked again next time
            end;
        ABI ->
            ABI
    end.

%% In a process of its own: the port's messages and its end are none of the caller's (a
%% stream, say, whose task messages would be taken for its program's).
ask_kernel() ->
    Self = self(),
    Tag = make_ref(),
    {Pid, Ref} = spawn_monitor(fun() ->
                                       {ok, Probe} = nook:fork(),
                                       Self ! {Tag, nook:landlock_create_ruleset(
                                                      Probe, #{}, landlock_create_ruleset_version)}
                               end),
    receive
        {Tag, Answer} -> demonitor(Ref, [flush]), Answer;
        {'DOWN', Ref, process, Pid, Reason} -> {error, Reason}
    end.

cached_abi() -> persistent_term:get({?MODULE, abi}, undefined).

%% @doc What a spec comes to at a Landlock ABI: the rights the ruleset handles, a rule per
%% path (its rights; `file' ones for a file) and per port, and the rights asked for that
%% the ABI cannot enforce.
-spec plan(spec(), non_neg_integer()) ->
    #{fs := [atom()], net := [atom()], scope := [atom()],
      paths := [{iodata(), [atom()]}], ports := [{0..65535, [atom()]}],
      unenforced := [right()]}.
plan(Spec, ABI) ->
    FsAsked = [K || K <- [read, write, exec], maps:is_key(K, Spec)],
    Fs = case FsAsked of
             [] -> [];
             _ -> lists:append([Rights || {Since, Rights} <- ?FS_RIGHTS, Since =< ABI])
         end,
    Net = [R || {K, R} <- [{bind, bind_tcp}, {connect, connect_tcp}], maps:is_key(K, Spec),
                ABI >= ?NET_ABI],
    Scope = [S || ABI >= ?SCOPE_ABI, S <- maps:get(scope, Spec, [])],
    Paths = merge([{P, Rights} || {K, Rights} <- [{read, ?READ}, {exec, ?EXEC}, {write, ?WRITE}],
                                  P <- maps:get(K, Spec, [])], Fs),
    Ports = merge([{Port, [R]} || {K, R} <- [{bind, bind_tcp}, {connect, connect_tcp}],
                                  Port <- maps:get(K, Spec, [])], Net),
    Unenforced =
        [K || ABI < 1, K <- FsAsked]
        ++ [R || lists:member(write, FsAsked), {R, Since} <- [{truncate, 3}, {ioctl_dev, 5}],
                 ABI < Since]
        ++ [K || K <- [bind, connect], maps:is_key(K, Spec), ABI < ?NET_ABI]
        ++ [S || ABI < ?SCOPE_ABI, S <- maps:get(scope, Spec, [])],
    #{fs => Fs, net => Net, scope => Scope, paths => Paths, ports => Ports,
      unenforced => Unenforced}.

%% One rule per path or port, the rights of all its mentions together, within what is
%% handled; none where nothing is (a port at an ABI before TCP rules).
merge(Pairs, Handled) ->
    Merged = lists:foldl(fun({Key, Rights}, Acc) ->
                                 K = key(Key),
                                 {_, Before} = maps:get(K, Acc, {Key, []}),
                                 Acc#{K => {Key, Before ++ Rights}}
                         end, #{}, Pairs),
    [{Key, Kept} || {_, {Key, Rights}} <- lists:sort(maps:to_list(Merged)),
                    Kept <- [[R || R <- lists:usort(Rights), lists:member(R, Handled)]],
                    Kept =/= []].

key(Port) when is_integer(Port) -> Port;
key(Path) -> unicode:characters_to_binary(Path).

%% @doc The ops that apply `{landlock, Spec}' of Config, if any: plain calls, which go in
%% one batch with the start's calls before them; a step that fails the start for a spec
%% that is no spec, or that is strict and asks what the kernel cannot enforce.
-spec ops(nook_behaviour:config()) -> [nook_op:op()].
ops(Config) ->
    case proplists:get_value(landlock, Config) of
        undefined ->
            [];
        Spec ->
            Decided = case nook_options:valid(option(), Spec) of
                          true -> decide(normal(Spec), abi());
                          false -> refused
                      end,
            case Decided of
                {ok, Plan} -> plan_ops(Plan);
                _ -> [{?MODULE, restrict, [Spec]}]
            end
    end.

%% @doc Restrict Task's process (and all it starts) to Spec, in one round trip: the ruleset
%% made, each path opened and ruled, the ports ruled, the restriction, the fds closed.
%% `{error, {landlock, {unenforceable, Rights}}}' under `strict';
%% `{error, {landlock, Path, Posix}}' for a path that cannot be opened or ruled;
%% `{error, {landlock, Posix}}' for the rest (eperm: no no_new_privs).
-spec restrict(nook:task(), spec()) -> ok | {error, term()}.
restrict(Task, Spec) ->
    %% Checked here too: a behaviour that checks no options may pass anything.
    case nook_options:valid(option(), Spec) of
        true ->
            case decide(normal(Spec), abi()) of
                {ok, Plan} -> apply_plan(Task, Plan);
                {error, _} = Error -> Error
            end;
        false ->
            {error, {landlock, {badarg, Spec}}}
    end.

%% A valid spec as a map: a bare atom in a list (`strict') is true, as nook_options reads it.
normal(Spec) ->
    {ok, Pairs} = nook_options:check(element(2, option()), Spec),
    maps:from_list(Pairs).

%% The plan for Spec at ABI, or the refusal of a strict spec the kernel cannot enforce in
%% full; what a lax one asks beyond the kernel is warned of.
decide(Spec, ABI) ->
    Plan = plan(Spec, ABI),
    case {maps:get(unenforced, Plan), maps:get(strict, Spec, false)} of
        {[_ | _] = Missing, true} ->
            {error, {landlock, {unenforceable, Missing}}};
        {Missing, _} ->
            _ = [warn_unenforced(Missing) || Missing =/= []],
            {ok, Plan}
    end.

%% Said once per node and set of rights: a start that goes on without them is no error.
warn_unenforced(Missing) ->
    Key = {?MODULE, warned, Missing},
    case persistent_term:get(Key, false) of
        true ->
            ok;
        false ->
            persistent_term:put(Key, true),
            logger:warning("nook_landlock: this kernel's Landlock cannot enforce ~p; "
                           "programs get them unrestricted (strict => true refuses instead)",
                           [Missing])
    end.

apply_plan(Task, Plan) ->
    case nook_op:batch(Task, plan_ops(Plan)) of
        {ok, _} -> ok;
        {error, Failure} -> {error, nook_behaviour:describe(Failure)}
    end.

%% The plain calls that apply Plan: the ruleset made, each path opened and ruled, the ports
%% ruled, the restriction, the fds closed. Each is labelled with the step a failure of it
%% is: `{landlock, Path, Posix}' for a path, `{landlock, Posix}' for the rest.
plan_ops(#{fs := [], net := [], scope := []}) ->
    []; % nothing this kernel can restrict, and that was not asked to be strict
plan_ops(#{fs := Fs, net := Net, scope := Scope, paths := Paths, ports := Ports}) ->
    Attr = maps:from_list([{K, [right(Prefix, R) || R <- Rs]}
                           || {K, Prefix, Rs} <- [{handled_access_fs, fs, Fs},
                                                  {handled_access_net, net, Net},
                                                  {scoped, scope, Scope}],
                              Rs =/= []]),
    %% Ops numbered from 1, each naming the earlier ones it takes an fd from by their number.
    Ruleset = 1,
    {PathOps, Next} = lists:foldl(fun path_ops/2, {[], 2}, Paths),
    PortOps = [step(landlock_add_rule, [ref(Ruleset, Next + I), landlock_rule_net_port,
                                        [right(net, R) || R <- Rs], Port], [])
               || {I, {Port, Rs}} <- lists:enumerate(0, Ports)],
    Restrict = Next + length(PortOps),
    [step(landlock_create_ruleset, [Attr, 0], [])] ++ lists:append(lists:reverse(PathOps))
    ++ PortOps
    ++ [step(landlock_restrict_self, [ref(Ruleset, Restrict), 0], []),
        step(close, [ref(Ruleset, Restrict + 1)], [])].

%% A path opened (o_path) and ruled: with all its rights, which a file refuses (einval, gone
%% past), then with those of them that apply to files, which a directory takes again
%% harmlessly: no round trip is spent asking which it is. Its fd closed.
path_ops({Path, Rights}, {Acc, N}) ->
    Named = [{label, {step, {landlock, Path}}}],
    Open = {nook, open, [Path, ?OPEN_PATH, 0], Named},
    Rule = fun(Rs, At) ->
                   [ref(1, At), landlock_rule_path_beneath, [right(fs, R) || R <- Rs], ref(N, At)]
           end,
    FileRights = for_type(file, Rights),
    Rules = case FileRights =:= Rights orelse FileRights =:= [] of
                true -> [{nook, landlock_add_rule, Rule(Rights, N + 1), Named}];
                false -> [{nook, landlock_add_rule, Rule(Rights, N + 1), [{errexit, false}]},
                          {nook, landlock_add_rule, Rule(FileRights, N + 2), Named}]
            end,
    Close = step(close, [ref(N, N + 1 + length(Rules))], []),
    {[[Open | Rules] ++ [Close] | Acc], N + 2 + length(Rules)}.

%% A call whose failure is `{landlock, Posix}'.
step(Call, Args, Opts) -> {nook, Call, Args, [{label, {step, {landlock}}} | Opts]}.

%% The fd op number Of returned, in op number At.
ref(Of, At) -> nook_op:result(At - Of).

%% A file takes only the rights that apply to files.
for_type(file, Rights) -> [R || R <- Rights, lists:member(R, ?FILE_RIGHTS)].

right(fs, R) -> list_to_atom("landlock_access_fs_" ++ atom_to_list(R));
right(net, R) -> list_to_atom("landlock_access_net_" ++ atom_to_list(R));
right(scope, R) -> list_to_atom("landlock_scope_" ++ atom_to_list(R)).
