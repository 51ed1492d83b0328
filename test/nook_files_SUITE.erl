%% SPDX-License-Identifier: ISC
%% @doc One case per call of the files and descriptors family: a success path and a failure
%% path with its exact error. Each case works in a directory of its own under priv_dir, with a
%% fresh root task from init_per_testcase that end_per_testcase stops. What a call did is
%% checked from Erlang's side (file:read_file_info and friends), not with nook itself.
-module(nook_files_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").
-include_lib("kernel/include/file.hrl").

%% The link/3 and unlink/2 calls have cases named link and unlink.
-compile({no_auto_import, [link/1, unlink/1]}).

-export([all/0, suite/0, init_per_testcase/2, end_per_testcase/2]).
-export([chmod/1, chown/1, dup2/1, link/1, lseek/1, mkdir/1, mkfifo/1, readdir/1, readdir_large/1,
         readdir_e2big/1, rename/1, rmdir/1, socket/1, symlink/1, unlink/1]).

%% Entries in the directory readdir_large lists, besides "." and "..".
-define(LARGE_DIR_ENTRIES, 10000).
%% The unprivileged user's id on Debian, to chown to as root.
-define(NOBODY, 65534).
%% Length of each name in readdir_e2big; an encoded name takes 5 bytes more.
-define(LONG_NAME, 250).
%% File type bits of st_mode (inode(7)).
-define(S_IFMT, 8#170000).
-define(S_IFIFO, 8#010000).

suite() -> [{timetrap, {seconds, 120}}].

all() ->
    [chmod, chown, dup2, link, lseek, mkdir, mkfifo, readdir, readdir_large,
     readdir_e2big, rename, rmdir, socket,
     symlink, unlink].

init_per_testcase(Case, Config) ->
    Dir = filename:join(?config(priv_dir, Config), Case),
    ok = filelib:ensure_path(Dir),
    {ok, Root} = nook:fork(),
    [{root, Root}, {dir, Dir} | Config].

end_per_testcase(_Case, Config) ->
    nook:stop(?config(root, Config)).

chmod(Config) ->
    {T, Dir} = setup(Config),
    File = filename:join(Dir, "file"),
    ok = file:write_file(File, <<>>),
    ok = nook:chmod(T, File, 8#640),
    ?assertEqual(8#640, mode(File)),
    ok = nook:chmod(T, File, 8#4755), %% setuid survives: the whole of 7777 is passed on
    ?assertEqual(8#4755, mode(File)),
    ?assertEqual({error, enoent}, nook:chmod(T, filename:join(Dir, "missing"), 8#644)),
    ?assertError(badarg, nook:chmod(T, File, rw)),
    ?assertError(badarg, nook:chmod(T, File, -1)),
    ?assertError(badarg, nook:chmod(T, [File, 0], 8#644)).

chown(Config) ->
    {T, Dir} = setup(Config),
    File = filename:join(Dir, "file"),
    ok = file:write_file(File, <<>>),
    {ok, #file_info{uid = Uid, gid = Gid}} = file:read_file_info(File),
    ok = nook:chown(T, File, -1, -1), %% -1 leaves both unchanged
    ?assertMatch({ok, #file_info{uid = Uid, gid = Gid}}, file:read_file_info(File)),
    case nook:geteuid(T) of
        0 ->
            ok = nook:chown(T, File, ?NOBODY, -1),
            ?assertMatch({ok, #file_info{uid = ?NOBODY, gid = Gid}}, file:read_file_info(File)),
            ok = nook:chown(T, File, -1, ?NOBODY),
            ?assertMatch({ok, #file_info{uid = ?NOBODY, gid = ?NOBODY}},
                         file:read_file_info(File));
        _ ->
            %% Giving a file away takes CAP_CHOWN.
            ?assertEqual({error, eperm}, nook:chown(T, File, ?NOBODY, -1))
    end,
    ?assertEqual({error, enoent}, nook:chown(T, filename:join(Dir, "missing"), -1, -1)),
    ?assertError(badarg, nook:chown(T, File, -2, -1)),
    ?assertError(badarg, nook:chown(T, File, -1, 16#100000000)),
    ?assertError(badarg, nook:chown(T, File, root, -1)).

dup2(Config) ->
    {T, Dir} = setup(Config),
    File = filename:join(Dir, "file"),
    {ok, FD} = nook:open(T, File, [o_wronly, o_creat, o_cloexec], 8#600),
    ?assertEqual({ok, 100}, nook:dup2(T, FD, 100)),
    %% the copy is no longer close-on-exec, and writes to the same file
    ?assertEqual({ok, 0}, nook:fcntl(T, 100, f_getfd)),
    {ok, 2} = nook:write(T, 100, "hi"),
    ?assertEqual({ok, <<"hi">>}, file:read_file(File)),
    ok = nook:close(T, 100),
    %% nook's own fds, either way: the root's 0 and 1 are the port's channel
    ?assertEqual({error, ebadf}, nook:dup2(T, FD, 0)),
    ?assertEqual({error, ebadf}, nook:dup2(T, 1, 100)),
    ?assertEqual({error, ebadf}, nook:dup2(T, 100, 101)), %% closed
    ?assertEqual({error, ebadf}, nook:dup2(T, FD, -1)),
    ?assertError(badarg, nook:dup2(T, FD, 1 bsl 40)),
    ok = nook:close(T, FD).

link(Config) ->
    {T, Dir} = setup(Config),
    Old = filename:join(Dir, "old"),
    New = filename:join(Dir, "new"),
    ok = file:write_file(Old, <<"shared">>),
    ok = nook:link(T, Old, New),
    {ok, #file_info{inode = Inode, links = 2}} = file:read_file_info(Old),
    ?assertMatch({ok, #file_info{inode = Inode, links = 2}}, file:read_file_info(New)),
    ?assertEqual({error, eexist}, nook:link(T, Old, New)),
    ?assertEqual({error, enoent}, nook:link(T, filename:join(Dir, "missing"), New)),
    ?assertError(badarg, nook:link(T, Old, 42)),
    ?assertError(badarg, nook:link(T, <<"old", 0>>, New)).

lseek(Config) ->
    {T, Dir} = setup(Config),
    File = filename:join(Dir, "file"),
    ok = file:write_file(File, <<"0123456789">>),
    {ok, FD} = nook:open(T, File, o_rdonly),
    ?assertEqual({ok, <<"012">>}, nook:read(T, FD, 3)),
    ok = nook:lseek(T, FD, 7, seek_set),
    ?assertEqual({ok, <<"789">>}, nook:read(T, FD, 3)),
    ok = nook:lseek(T, FD, -6, seek_cur),
    ?assertEqual({ok, <<"45">>}, nook:read(T, FD, 2)),
    ok = nook:lseek(T, FD, -1, 'SEEK_END'),
    ?assertEqual({ok, <<"9">>}, nook:read(T, FD, 3)),
    ok = nook:lseek(T, FD, 0, 0), %% an integer whence is SEEK_SET
    ?assertEqual({ok, <<"0">>}, nook:read(T, FD, 1)),
    ?assertEqual({error, einval}, nook:lseek(T, FD, -1, seek_set)),
    ?assertEqual({error, enotsup}, nook:lseek(T, FD, 0, seek_nowhere)),
    ok = nook:close(T, FD),
    ?assertEqual({error, ebadf}, nook:lseek(T, FD, 0, seek_set)),
    ?assertEqual({error, ebadf}, nook:lseek(T, -1, 0, seek_set)),
    %% A pipe has no offset. O_RDWR opens a FIFO without waiting for a writer.
    Fifo = filename:join(Dir, "fifo"),
    ok = nook:mkfifo(T, Fifo, 8#600),
    {ok, PipeFD} = nook:open(T, Fifo, o_rdwr),
    ?assertEqual({error, espipe}, nook:lseek(T, PipeFD, 0, seek_set)),
    %% nook's own fds (a child's stdin pipe) are not the caller's
    {ok, C} = nook:fork(T),
    #{stdin := ChildStdin} = nook:cpid(T, C),
    ?assertEqual({error, ebadf}, nook:lseek(T, ChildStdin, 0, seek_set)),
    ?assertError(badarg, nook:lseek(T, PipeFD, 1.5, seek_set)),
    ?assertError(badarg, nook:lseek(T, PipeFD, 0, "seek_set")).

mkdir(Config) ->
    {T, Dir} = setup(Config),
    New = filename:join(Dir, "new"),
    ok = nook:mkdir(T, New, 8#700), %% 700: the umask takes nothing away
    ?assertMatch({ok, #file_info{type = directory}}, file:read_file_info(New)),
    ?assertEqual(8#700, mode(New)),
    ok = nook:mkdir(T, [Dir, <<"/io">>, "data"], 8#700), %% any iodata names a path
    ?assert(filelib:is_dir(filename:join(Dir, "iodata"))),
    ?assertEqual({error, eexist}, nook:mkdir(T, New, 8#700)),
    ?assertEqual({error, enoent}, nook:mkdir(T, filename:join([Dir, "no", "such"]), 8#700)),
    ?assertError(badarg, nook:mkdir(T, <<"/tmp/nook", 0, "x">>, 8#700)),
    ?assertError(badarg, nook:mkdir(T, filename:join(Dir, "other"), "755")),
    ?assertError(badarg, nook:mkdir(T, filename:join(Dir, "other"), -1)),
    ?assertNot(filelib:is_dir(filename:join(Dir, "other"))).

mkfifo(Config) ->
    {T, Dir} = setup(Config),
    Fifo = filename:join(Dir, "fifo"),
    ok = nook:mkfifo(T, Fifo, 8#600),
    ?assertMatch({ok, #file_info{type = other}}, file:read_file_info(Fifo)),
    ?assertEqual(8#600, mode(Fifo)),
    ?assertEqual(?S_IFIFO, file_type(Fifo)),
    ?assertEqual({error, eexist}, nook:mkfifo(T, Fifo, 8#600)),
    ?assertEqual({error, enoent}, nook:mkfifo(T, filename:join([Dir, "no", "fifo"]), 8#600)),
    ?assertError(badarg, nook:mkfifo(T, filename:join(Dir, "other"), fifo)),
    ?assertError(badarg, nook:mkfifo(T, <<"fifo", 0>>, 8#600)).

readdir(Config) ->
    {T, Dir} = setup(Config),
    ok = file:write_file(filename:join(Dir, "a"), <<>>),
    ok = file:make_dir(filename:join(Dir, "b")),
    {ok, Names} = nook:readdir(T, Dir),
    ?assert(lists:all(fun erlang:is_binary/1, Names)),
    ?assertEqual([<<".">>, <<"..">>, <<"a">>, <<"b">>], lists:sort(Names)),
    ?assertEqual({error, enoent}, nook:readdir(T, filename:join(Dir, "missing"))),
    ?assertEqual({error, enotdir}, nook:readdir(T, filename:join(Dir, "a"))),
    ?assertError(badarg, nook:readdir(T, [Dir, 0])),
    ?assertError(badarg, nook:readdir(T, dir)),
    %% Every failure above closed its directory: none is left open in the process.
    ?assertEqual([], dir_fds(nook:getpid(T), Dir)).

%% No fixed limit on a reply: every one of 10,000 names comes back.
readdir_large(Config) ->
    {T, Dir} = setup(Config),
    Want = [integer_to_binary(N) || N <- lists:seq(1, ?LARGE_DIR_ENTRIES)],
    [ok = file:write_file(filename:join(Dir, Name), <<>>) || Name <- Want],
    {ok, Names} = nook:readdir(T, Dir),
    ?assertEqual(?LARGE_DIR_ENTRIES + 2, length(Names)),
    ?assertEqual(lists:sort([<<".">>, <<"..">> | Want]), lists:sort(Names)),
    ?assertEqual([], dir_fds(nook:getpid(T), Dir)),
    [] = os:cmd("rm -rf '" ++ Dir ++ "'"). %% not left behind in the test logs

%% Names beyond what a frame holds: a clean {error, e2big}, the directory closed, the task
%% still serving.
readdir_e2big(Config) ->
    {T, Dir} = setup(Config),
    Count = nook_codec:frame_max() div (?LONG_NAME + 5) + 1000,
    %% touch(1) through xargs makes them in seconds, where one Erlang call per file would not.
    Made = os:cmd("cd '" ++ Dir ++ "' && seq -f '%0" ++ integer_to_list(?LONG_NAME) ++ "g' "
                  ++ integer_to_list(Count) ++ " | xargs touch && ls -U | wc -l"),
    ?assertEqual(Count, list_to_integer(string:trim(Made))),
    ?assertEqual({error, e2big}, nook:readdir(T, Dir)),
    ?assertEqual([], dir_fds(nook:getpid(T), Dir)),
    [] = os:cmd("rm -rf '" ++ Dir ++ "'"). %% not left behind in the test logs

rename(Config) ->
    {T, Dir} = setup(Config),
    Old = filename:join(Dir, "old"),
    New = filename:join(Dir, "new"),
    ok = file:write_file(Old, <<"moved">>),
    ok = nook:rename(T, Old, New),
    ?assertEqual({ok, <<"moved">>}, file:read_file(New)),
    ?assertEqual({error, enoent}, file:read_file_info(Old)),
    ?assertEqual({error, enoent}, nook:rename(T, Old, New)),
    ok = file:make_dir(Old),
    ?assertEqual({error, enotdir}, nook:rename(T, Old, New)), %% a directory over a file
    ?assertError(badarg, nook:rename(T, Old, [New, 0])),
    ?assertError(badarg, nook:rename(T, old, New)).

rmdir(Config) ->
    {T, Dir} = setup(Config),
    Empty = filename:join(Dir, "empty"),
    ok = file:make_dir(Empty),
    ok = nook:rmdir(T, Empty),
    ?assertNot(filelib:is_dir(Empty)),
    ?assertEqual({error, enoent}, nook:rmdir(T, Empty)),
    Full = filename:join(Dir, "full"),
    ok = file:make_dir(Full),
    ok = file:write_file(filename:join(Full, "file"), <<>>),
    ?assertEqual({error, enotempty}, nook:rmdir(T, Full)),
    ?assertEqual({error, enotdir}, nook:rmdir(T, filename:join(Full, "file"))),
    ?assertError(badarg, nook:rmdir(T, <<"full", 0>>)).

socket(Config) ->
    {T, _Dir} = setup(Config),
    Pid = nook:getpid(T),
    {ok, FD} = nook:socket(T, af_unix, sock_stream, 0),
    ?assertMatch({ok, "socket:[" ++ _}, file:read_link(fd_path(Pid, FD))),
    ?assert(cloexec(Pid, FD)), %% born close-on-exec
    {ok, Plain} = nook:open(T, "/dev/null", o_rdonly),
    ?assertNot(cloexec(Pid, Plain)), %% the check can tell an fd that is not
    ok = nook:close(T, FD),
    ?assertEqual({error, enoent}, file:read_link(fd_path(Pid, FD))),
    {ok, FD2} = nook:socket(T, 'AF_INET', [sock_dgram, sock_nonblock], ipproto_udp),
    ok = nook:close(T, FD2),
    {ok, FD3} = nook:socket(T, af_inet6, sock_stream, ipproto_tcp),
    ok = nook:close(T, FD3),
    {ok, FD4} = nook:socket(T, af_unix, [sock_seqpacket, sock_cloexec], 0),
    ok = nook:close(T, FD4),
    ?assertEqual({error, enotsup}, nook:socket(T, af_nowhere, sock_stream, 0)),
    ?assertEqual({error, enotsup}, nook:socket(T, af_unix, [sock_stream, sock_wobbly], 0)),
    ?assertEqual({error, enotsup}, nook:socket(T, af_inet, sock_stream, ipproto_nothing)),
    ?assertEqual({error, eprotonosupport}, nook:socket(T, af_inet, sock_stream, ipproto_udp)),
    ?assertEqual({error, eafnosupport}, nook:socket(T, 16#7fff, sock_stream, 0)),
    ?assertError(badarg, nook:socket(T, "af_unix", sock_stream, 0)),
    %% a type error wins over an unknown name in another argument
    ?assertError(badarg, nook:socket(T, af_nowhere, sock_stream, <<"tcp">>)).

symlink(Config) ->
    {T, Dir} = setup(Config),
    Link = filename:join(Dir, "link"),
    ok = nook:symlink(T, "target/does/not/exist", Link), %% a dangling link is fine
    ?assertMatch({ok, #file_info{type = symlink}}, file:read_link_info(Link)),
    ?assertEqual({ok, "target/does/not/exist"}, file:read_link(Link)),
    ?assertEqual({error, eexist}, nook:symlink(T, "elsewhere", Link)),
    ?assertEqual({ok, "target/does/not/exist"}, file:read_link(Link)),
    ?assertEqual({error, enoent}, nook:symlink(T, "x", filename:join([Dir, "no", "link"]))),
    ?assertError(badarg, nook:symlink(T, <<"tar", 0, "get">>, filename:join(Dir, "other"))),
    ?assertError(badarg, nook:symlink(T, "target", 7)).

unlink(Config) ->
    {T, Dir} = setup(Config),
    File = filename:join(Dir, "file"),
    ok = file:write_file(File, <<>>),
    ok = nook:unlink(T, File),
    ?assertEqual({error, enoent}, file:read_file_info(File)),
    ?assertEqual({error, enoent}, nook:unlink(T, File)),
    ?assertEqual({error, eisdir}, nook:unlink(T, Dir)),
    ?assertError(badarg, nook:unlink(T, [File | 0])),
    ?assertError(badarg, nook:unlink(T, <<"file", 0>>)).

%% ---- helpers ----

setup(Config) -> {?config(root, Config), ?config(dir, Config)}.

mode(Path) ->
    {ok, #file_info{mode = Mode}} = file:read_link_info(Path),
    Mode band 8#7777.

%% The S_IFMT bits of the mode, which file_info keeps.
file_type(Path) ->
    {ok, #file_info{mode = Mode}} = file:read_link_info(Path),
    Mode band ?S_IFMT.

fd_path(Pid, FD) -> "/proc/" ++ integer_to_list(Pid) ++ "/fd/" ++ integer_to_list(FD).

%% FD_CLOEXEC of an fd of another process, from the flags line of /proc/PID/fdinfo/FD.
cloexec(Pid, FD) ->
    {ok, Info} = file:read_file("/proc/" ++ integer_to_list(Pid) ++ "/fdinfo/"
                                ++ integer_to_list(FD)),
    {match, [Octal]} = re:run(Info, "^flags:\\s*([0-7]+)", [multiline, {capture, all_but_first, list}]),
    %% O_CLOEXEC as fdinfo shows it
    list_to_integer(Octal, 8) band 8#2000000 =/= 0.

%% The fds of OS process Pid that are open on directory Dir.
dir_fds(Pid, Dir) ->
    FdDir = "/proc/" ++ integer_to_list(Pid) ++ "/fd",
    {ok, Fds} = file:list_dir(FdDir),
    [Fd || Fd <- Fds, {ok, Target} <- [file:read_link(filename:join(FdDir, Fd))],
           Target =:= Dir].
