%% SPDX-License-Identifier: ISC
%% @doc A container's root directory, trusted only when its caller alone controls it.
%%
%% The root and every directory mounted onto inside it must be a real directory (no
%% symlink), owned by the caller and writable by nobody else; every directory above the root
%% must be owned by root or the caller and writable by nobody else, or sticky (as /tmp is),
%% so that no one else can swap any part of the path. The check is made by the BEAM on the
%% host; the container's init then opens each directory without following symlinks and the
%% mounts go onto those fds (`/proc/self/fd/N'), after checking that each is the very
%% directory that was checked (same device and inode): nothing can be swapped in between.
-module(nook_root).

-export([make/2, prepare/3, check/3, real_path/2, open_ops/1, verify/2, fd_path/1, uid/0]).

-include_lib("kernel/include/file.hrl").

-export_type([checked/0, why/0]).

-type checked() :: [{file:filename(), {non_neg_integer(), non_neg_integer()}}].
-type why() :: symlink | not_directory | missing | {owner, non_neg_integer()}
             | {writable_by, group | others} | changed | {file:posix(), term()}.

-define(OPEN_FLAGS, [o_path, o_nofollow, o_directory, o_cloexec]).

%% @doc The uid the BEAM runs as (the owner of what it creates), asked once per node.
-spec uid() -> non_neg_integer().
uid() ->
    case persistent_term:get({?MODULE, uid}, undefined) of
        undefined ->
            {ok, #file_info{uid = Uid}} = file:read_file_info("/proc/self", [raw, {time, posix}]),
            persistent_term:put({?MODULE, uid}, Uid),
            Uid;
        Uid ->
            Uid
    end.

%% @doc Create what is missing of Root and the directories Dirs inside it (relative paths,
%% parents included), checking them all for the BEAM's uid.
-spec make(file:filename(), [file:filename()]) -> ok | {error, term()}.
make(Root, Dirs) ->
    case prepare(Root, Dirs, uid()) of
        {ok, _} -> ok;
        {error, _} = Error -> Error
    end.

%% @doc What make/2 does, for the caller Uid: the directories as check/3 returns them. The
%% root is judged before anything is made in it, each directory before what is inside it.
-spec prepare(file:filename(), [file:filename()], non_neg_integer()) ->
    {ok, checked()} | {error, term()}.
prepare(Root, Dirs, Uid) -> walk_dirs(Root, Dirs, Uid, make).

%% @doc Check Root and Dirs (relative, inside it) for the caller Uid: the device and inode of
%% each, to compare with what the container opens, or why it is unsafe. The paths come back
%% with every symlink above Root resolved (real_path/2).
-spec check(file:filename(), [file:filename()], non_neg_integer()) ->
    {ok, checked()} | {error, {unsafe_root, file:filename(), why()}}.
check(Root, Dirs, Uid) -> walk_dirs(Root, Dirs, Uid, check).

walk_dirs(Root, Dirs, Uid, How) ->
    case real_path(Root, Uid) of
        {ok, Real} -> check_dirs([Real | [below(Real, D) || D <- inside(Dirs)]], Uid, How, []);
        {error, _} = Error -> Error
    end.

%% Every directory the relative paths Dirs name, their parents first, each once.
inside(Dirs) ->
    lists:usort([filename:join(lists:sublist(Parts, N))
                 || D <- Dirs, Parts <- [filename:split(string:trim(D, leading, "/"))],
                    N <- lists:seq(1, length(Parts))]).

%% @doc Root with the symlinks above it resolved, every directory on the way checked: owned
%% by root or the caller and writable by nobody else, or sticky, so that no one else can swap
%% a part of the path; a symlink on the way must be root's or the caller's. Root itself is
%% taken as it is: a symlink there is refused by check/3.
-spec real_path(file:filename(), non_neg_integer()) ->
    {ok, file:filename()} | {error, {unsafe_root, file:filename(), why()}}.
real_path(Root, Uid) ->
    Path = case unicode:characters_to_list(Root) of
               "/" ++ _ = Absolute -> Absolute;
               Relative -> filename:absname(Relative)
           end,
    case ancestor("/", lstat("/"), Uid) of
        ok -> walk(tl(filename:split(Path)), "/", Uid, 0);
        {error, _} = Error -> Error
    end.

-define(SYMLINKS_MAX, 40).

%% Relative path Name (as filename:split/1 and inside/1 give it) below Dir, a path with no
%% trailing slash: filename:join/2 without its scan of every character, which a start paid
%% for each directory of each path it checks.
below("/", Name) -> "/" ++ Name;
below(Dir, Name) -> Dir ++ "/" ++ Name.

walk([], Dir, _Uid, _Links) ->
    {ok, Dir};
walk(["/" | Rest], _Dir, Uid, Links) ->
    walk(Rest, "/", Uid, Links); % an absolute symlink starts again from the top
walk(["." | Rest], Dir, Uid, Links) ->
    walk(Rest, Dir, Uid, Links);
walk([".." | Rest], Dir, Uid, Links) ->
    %% Dir has no symlink in it: its parent is its name's.
    walk(Rest, filename:dirname(Dir), Uid, Links);
walk([Last], Dir, _Uid, _Links) ->
    {ok, below(Dir, Last)};
walk([Name | Rest], Dir, Uid, Links) ->
    Path = below(Dir, Name),
    case lstat(Path) of
        {ok, #file_info{type = symlink, uid = Owner}} when Owner =/= 0, Owner =/= Uid ->
            unsafe(Path, {owner, Owner});
        {ok, #file_info{type = symlink}} when Links >= ?SYMLINKS_MAX ->
            unsafe(Path, {eloop, lstat});
        {ok, #file_info{type = symlink}} ->
            {ok, Target} = prim_file:read_link(Path),
            walk(filename:split(Target) ++ Rest, Dir, Uid, Links + 1);
        Info ->
            case ancestor(Path, Info, Uid) of
                ok -> walk(Rest, Path, Uid, Links);
                {error, _} = Error -> Error
            end
    end.

%% A directory above the root, as lstat found it.
ancestor(Dir, {ok, #file_info{type = Type, mode = Mode, uid = Owner}}, Uid) ->
    Sticky = Mode band 8#1000 =/= 0,
    if
        Type =/= directory -> unsafe(Dir, not_directory);
        Owner =/= 0, Owner =/= Uid -> unsafe(Dir, {owner, Owner});
        Mode band 8#022 =/= 0, not Sticky -> unsafe(Dir, {writable_by, writer(Mode)});
        true -> ok
    end;
ancestor(Dir, {error, Reason}, _Uid) ->
    unsafe(Dir, {Reason, lstat}).

check_dirs([], _Uid, _How, Acc) ->
    {ok, lists:reverse(Acc)};
check_dirs([Dir | Dirs], Uid, How, Acc) ->
    Found = case {lstat(Dir), How} of
                {{error, enoent}, make} ->
                    case make_dir(Dir) of
                        ok -> lstat(Dir);
                        {error, _} = NotMade -> NotMade
                    end;
                {Info, _} ->
                    Info
            end,
    case judge(Dir, Found, Uid) of
        {ok, Id} -> check_dirs(Dirs, Uid, How, [{Dir, Id} | Acc]);
        {error, _} = Error -> Error
    end.

%% The root or a directory in it, as lstat found it: its device and inode, or why not.
judge(Dir, {ok, #file_info{type = Type, mode = Mode, uid = Owner, major_device = Dev, inode = Ino}}, Uid) ->
    if
        Type =:= symlink -> unsafe(Dir, symlink);
        Type =/= directory -> unsafe(Dir, not_directory);
        Owner =/= Uid -> unsafe(Dir, {owner, Owner});
        Mode band 8#022 =/= 0 -> unsafe(Dir, {writable_by, writer(Mode)});
        true -> {ok, {Dev, Ino}}
    end;
judge(Dir, {error, enoent}, _Uid) ->
    unsafe(Dir, missing);
judge(_Dir, {error, {make_root, _, _}} = Error, _Uid) ->
    Error;
judge(Dir, {error, Reason}, _Uid) ->
    unsafe(Dir, {Reason, lstat}).

%% A directory made here is 0755 whatever the umask; what made it is judged like the rest.
make_dir(Dir) ->
    case prim_file:make_dir(Dir) of
        ok ->
            case prim_file:write_file_info(Dir, #file_info{mode = 8#755}) of
                ok -> ok;
                {error, Reason} -> {error, {make_root, Dir, Reason}}
            end;
        {error, eexist} -> ok; % made meanwhile: judged as found
        {error, Reason} -> {error, {make_root, Dir, Reason}}
    end.

%% Straight to the file system, not through the file server: a start makes a few dozen.
lstat(Path) -> file:read_link_info(Path, [raw, {time, posix}]).

writer(Mode) when Mode band 8#002 =/= 0 -> others;
writer(_) -> group.

unsafe(Dir, Why) -> {error, {unsafe_root, Dir, Why}}.

%% @doc The calls that open each checked directory in the container, without following a
%% symlink, and stat it: for nook_op:batch/2.
-spec open_ops(checked()) -> [nook_op:op()].
open_ops(Checked) ->
    [[{open, [Dir, ?OPEN_FLAGS, 0]}, {fstat, [nook_op:result(1)]}] || {Dir, _} <- Checked].

%% @doc Match what the container opened (the results of open_ops/1, in order) with what
%% was checked: the fd of each directory, or the one that changed in between.
-spec verify(checked(), [term()]) ->
    {ok, #{file:filename() => non_neg_integer()}} | {error, {unsafe_root, file:filename(), why()}}.
verify(Checked, Results) ->
    verify(Checked, Results, #{}).

verify([], [], Fds) ->
    {ok, Fds};
verify([{Dir, {Dev, Ino}} | Checked], [{ok, Fd}, {ok, #{dev := Dev, ino := Ino}} | Results], Fds) ->
    verify(Checked, Results, Fds#{Dir => Fd});
verify([{Dir, _} | _], _, _) ->
    unsafe(Dir, changed).

%% @doc The path through which a mount reaches an open directory.
-spec fd_path(non_neg_integer()) -> string().
fd_path(Fd) -> "/proc/self/fd/" ++ integer_to_list(Fd).
