-- Headless Neovim test of the reportlint plugin (editors/nvim) against the real server.
-- Run by scripts/nvim-test.sh as
--   nvim --headless -u NONE -i NONE -n -c "luafile tests/nvim/test.lua"
-- with the environment:
--   REPORTLINT_BIN     the server binary
--   REPORTLINT_REPO    the repository (editors/nvim is added to the runtimepath)
--   NVIM_TEST_FILE     a copy of tests/nvim/report.md (the total 43 is wrong: 12 + 30 = 42)
--   NVIM_TEST_ROOT     the folder the plugin must pick as root (holds a .git marker); the
--                      test adds its other files there
--   NVIM_TEST_OUT      where the results are written: JSON, one check per line
-- Every wait is bounded; a failed check stops the run, the remaining ones are reported as
-- not run, the servers are stopped, and Neovim exits with status 1.

local BIN = assert(os.getenv("REPORTLINT_BIN"), "REPORTLINT_BIN is not set")
local REPO = assert(os.getenv("REPORTLINT_REPO"), "REPORTLINT_REPO is not set")
local FILE = assert(os.getenv("NVIM_TEST_FILE"), "NVIM_TEST_FILE is not set")
local ROOT = assert(os.getenv("NVIM_TEST_ROOT"), "NVIM_TEST_ROOT is not set")
local OUT = assert(os.getenv("NVIM_TEST_OUT"), "NVIM_TEST_OUT is not set")
local TIMEOUT = 10000
local INSTALL_URL = "https://example.invalid/reportlint#installation"
local MISSING = "reportlint-not-installed-here"
local NOT_ATTACHED = "no reportlint server is attached to this buffer"
local uv = vim.uv or vim.loop

vim.opt.runtimepath:prepend(REPO .. "/editors/nvim")
vim.cmd("filetype on") -- -u NONE leaves detection off

local function log(message)
  io.stderr:write("nvim-test: " .. message .. "\n")
end

-- Everything the plugin, Neovim or the server tells the user. Neovim 0.7 shows the
-- server's window/showMessage without vim.notify, so those are recorded here too.
local notifications = {}
vim.notify = function(message, level)
  table.insert(notifications, { message = message, level = level })
  log("notify: " .. tostring(message))
end
local default_show = vim.lsp.handlers["window/showMessage"]
vim.lsp.handlers["window/showMessage"] = function(err, result, ctx, config)
  if result and result.type <= vim.lsp.protocol.MessageType.Warning then
    table.insert(notifications, { message = "server: " .. result.message, level = vim.log.levels.WARN })
    log("server message: " .. result.message)
  end
  return default_show(err, result, ctx, config)
end

-- Every request and notification Neovim sends to a server, by the client's rpc object,
-- so that the checks see what went over the wire (initialize, didChangeConfiguration,
-- executeCommand), on 0.7 as on 0.11.
local wire = {}
local servers_started = 0 -- counted when the process starts, before it is initialized
local rpc_start = vim.lsp.rpc.start
vim.lsp.rpc.start = function(...)
  servers_started = servers_started + 1
  local rpc = rpc_start(...)
  if type(rpc) == "table" then
    local sent = {}
    wire[rpc] = sent
    local request, notify = rpc.request, rpc.notify
    rpc.request = function(method, params, ...)
      table.insert(sent, { method = method, params = params })
      return request(method, params, ...)
    end
    rpc.notify = function(method, params, ...)
      table.insert(sent, { method = method, params = params })
      return notify(method, params, ...)
    end
  end
  return rpc
end

-- The params of every `method` message sent to the client's server.
local function sent(client, method)
  local found = {}
  for _, m in ipairs(wire[client.rpc] or {}) do
    if m.method == method then
      table.insert(found, m.params)
    end
  end
  return found
end

-- The raw diagnostics as the server sent them: LSP positions in the negotiated encoding
-- (UTF-16 on Neovim 0.7, which offers none), not vim.diagnostic's byte columns. Neovim 0.7
-- gets them pushed (publishDiagnostics); 0.10+ declares pull diagnostics and asks for them
-- (textDocument/diagnostic), so both are recorded.
local published = {}
local default_publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result then
    table.insert(published, {
      uri = result.uri,
      version = result.version,
      diagnostics = result.diagnostics,
      client_id = ctx.client_id,
    })
  end
  return default_publish(err, result, ctx, config)
end
local default_pull = vim.lsp.handlers["textDocument/diagnostic"]
if default_pull then
  vim.lsp.handlers["textDocument/diagnostic"] = function(err, result, ctx, config)
    if result and not err then
      local items = result.items
      if result.kind == "unchanged" then
        for i = #published, 1, -1 do
          if published[i].uri == ctx.params.textDocument.uri and published[i].client_id == ctx.client_id then
            items = published[i].diagnostics
            break
          end
        end
      end
      table.insert(published, {
        uri = ctx.params.textDocument.uri,
        version = ctx.version, -- the buffer's version when the request was sent
        diagnostics = items or {},
        client_id = ctx.client_id,
      })
    end
    return default_pull(err, result, ctx, config)
  end
end

local function wait_for(what, fn, ms)
  if not vim.wait(ms or TIMEOUT, fn, 20) then
    error(("timed out after %d ms waiting for %s"):format(ms or TIMEOUT, what), 0)
  end
end

local function expect(cond, message)
  if not cond then
    error(message, 0)
  end
end

-- A byte offset in `line` as an LSP character offset in `encoding`.
local function character(line, byte, encoding)
  if encoding == "utf-8" then
    return byte
  end
  if vim.fn.has("nvim-0.11") == 1 then
    return vim.str_utfindex(line, encoding, byte)
  end
  local utf32, utf16 = vim.str_utfindex(line, byte)
  return encoding == "utf-32" and utf32 or utf16
end

local bufnr
local uri

local function all_clients()
  return vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()
end

-- Only initialized clients: get_clients() and get_active_clients() leave out the others.
local function reportlint_clients()
  local found = {}
  for _, client in ipairs(all_clients()) do
    if client.name == "reportlint" then
      table.insert(found, client)
    end
  end
  return found
end

-- The reportlint clients attached to a buffer (the report by default).
local function attached_clients(b)
  local found = {}
  for _, client in ipairs(reportlint_clients()) do
    if vim.lsp.buf_is_attached(b or bufnr, client.id) then
      table.insert(found, client)
    end
  end
  return found
end

local function attached_client(b)
  return attached_clients(b)[1]
end

local function all_stopped(ids)
  for _, id in ipairs(ids) do
    if not vim.lsp.client_is_stopped(id) then
      return false
    end
  end
  return true
end

local function same_dir(a, b)
  return a ~= nil and uv.fs_realpath(a) == uv.fs_realpath(b)
end

local function version()
  return vim.lsp.util.buf_versions[bufnr]
end

-- The newest diagnostics for the buffer from `client_id` for `min_version` or later.
local function latest(min_version, client_id)
  for i = #published, 1, -1 do
    local p = published[i]
    if vim.uri_to_bufnr(p.uri) == bufnr and p.version ~= nil and p.version >= min_version
      and p.client_id == client_id then
      return p
    end
  end
end

local function find_code(p, code)
  for _, d in ipairs(p and p.diagnostics or {}) do
    if d.code == code then
      return d
    end
  end
end

local function codes(p)
  local out = {}
  for _, d in ipairs(p and p.diagnostics or {}) do
    table.insert(out, tostring(d.code))
  end
  return table.concat(out, ",")
end

-- Waits for the reportlint server's diagnostics of the buffer's current version.
local function diagnostics_now(what)
  local want = version()
  local id = assert(attached_client(), "no reportlint client attached to the report").id
  wait_for(what .. " (diagnostics for version " .. want .. ")", function()
    return latest(want, id) ~= nil
  end)
  return latest(want, id)
end

local function encoding()
  return attached_client().offset_encoding
end

-- The range of the total's cell on line 6 (0-based) in the client's position encoding,
-- computed here from the buffer's text.
local function total_cell_range()
  local line = vim.api.nvim_buf_get_lines(bufnr, 6, 7, true)[1]
  local label = assert(line:find("合计", 1, true), "no 合计 on line 6: " .. line)
  local s, e = line:find("%d+", label)
  return {
    start = { line = 6, character = character(line, s - 1, encoding()) },
    ["end"] = { line = 6, character = character(line, e, encoding()) },
  }, line
end

local function same_range(a, b)
  return a.start.line == b.start.line and a.start.character == b.start.character
    and a["end"].line == b["end"].line and a["end"].character == b["end"].character
end

local function show_range(r)
  return ("%d:%d-%d:%d"):format(r.start.line, r.start.character, r["end"].line, r["end"].character)
end

local function line(n)
  return vim.api.nvim_buf_get_lines(bufnr, n, n + 1, true)[1]
end

-- Replaces the amount of 甲 (line 4) `from` by `to` through the buffer API.
local function set_amount(from, to)
  local row = line(4)
  local s = row:find(from, 1, true)
  expect(s, ("line 4 is %s, expected %s in it"):format(row, from))
  vim.api.nvim_buf_set_text(bufnr, 4, s - 1, 4, s - 1 + #from, { to })
end

-- Changes the amount of 甲 from `from` to `to`, which makes the total wrong, and returns the
-- sum-mismatch the server then publishes, checked to sit exactly on the total's cell.
local function break_total(from, to)
  set_amount(from, to)
  local p = diagnostics_now(("the diagnostics after %s -> %s"):format(from, to))
  local d = find_code(p, "sum-mismatch")
  expect(d, ("no sum-mismatch after %s -> %s: [%s]"):format(from, to, codes(p)))
  local want = total_cell_range()
  expect(same_range(d.range, want), ("range %s, expected %s"):format(show_range(d.range), show_range(want)))
  return d
end

local function notified(text)
  local found = {}
  for _, n in ipairs(notifications) do
    if tostring(n.message):find(text, 1, true) then
      table.insert(found, tostring(n.message))
    end
  end
  return found
end

local function has_buffer_keymap(b)
  return vim.api.nvim_buf_call(b, function()
    local map = vim.fn.maparg("<leader>rf", "n", false, true)
    return type(map) == "table" and next(map) ~= nil
  end)
end

local function write_file(path, lines)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ":h"), "p")
  assert(vim.fn.writefile(lines, path) == 0, "cannot write " .. path)
end

local report_lines = vim.fn.readfile(FILE)
local SECOND = ROOT .. "/docs/second.md" -- same root as the report
local NESTED_ROOT = ROOT .. "/sub" -- holds a reportlint.toml: the nearest marker wins
local NESTED = NESTED_ROOT .. "/nested.md"
write_file(SECOND, report_lines)
write_file(NESTED_ROOT .. "/reportlint.toml", {})
write_file(NESTED, report_lines)

local SETTINGS = { debounceMs = 0, lintOn = "type" }
local mismatch -- the raw sum-mismatch diagnostic of check a
local report_win
local second, nested -- the buffers of SECOND and NESTED
local plugin = nil
local on_attach_calls = {}
local expected_warnings = {} -- text -> how many notifications of it the checks caused

local steps = {
  {
    "missing executable: one notification saying what was looked for, where to install, how to set cmd",
    function()
      plugin = require("reportlint")
      plugin.setup({ cmd = { MISSING, "lsp" } })
      vim.cmd("edit " .. vim.fn.fnameescape(ROOT .. "/docs/missing.md"))
      expect(vim.bo.filetype == "markdown", "filetype is " .. vim.bo.filetype)
      vim.bo.filetype = "text"
      local scratch = vim.api.nvim_get_current_buf()
      local seen = notified(MISSING)
      expected_warnings[MISSING] = 1
      expect(#seen == 1, ("expected 1 notification about the missing executable, got %d"):format(#seen))
      for _, part in ipairs({ "$PATH", INSTALL_URL, 'cmd = { "/path/to/reportlint", "lsp" }' }) do
        expect(seen[1]:find(part, 1, true), "the notification lacks " .. part .. ": " .. seen[1])
      end
      expect(servers_started == 0, "a server was started although the executable is missing")
      vim.cmd("bwipeout! " .. scratch)
      return seen[1]
    end,
  },
  {
    "a: report.md and a second file of the same root opened at once share one client at the .git root; "
      .. "a file under sub/reportlint.toml gets its own; on_attach and a buffer-local <leader>rf",
    function()
      plugin.setup({
        cmd = { BIN, "lsp" },
        settings = SETTINGS,
        on_attach = function(client, b)
          table.insert(on_attach_calls, { name = client.name, bufnr = b })
        end,
      })
      -- Opened one after the other without waiting: the server has not answered yet.
      vim.cmd("edit " .. vim.fn.fnameescape(FILE))
      bufnr = vim.api.nvim_get_current_buf()
      report_win = vim.api.nvim_get_current_win()
      uri = vim.uri_from_bufnr(bufnr)
      vim.cmd("split " .. vim.fn.fnameescape(SECOND))
      second = vim.api.nvim_get_current_buf()
      vim.cmd("split " .. vim.fn.fnameescape(NESTED))
      nested = vim.api.nvim_get_current_buf()
      vim.api.nvim_set_current_win(report_win)
      expect(vim.bo[bufnr].filetype == "markdown", "filetype is " .. vim.bo[bufnr].filetype)
      wait_for("initialized reportlint clients attached to the three files", function()
        return attached_client(bufnr) and attached_client(second) and attached_client(nested)
      end)
      local client, other = attached_client(bufnr), attached_client(nested)
      expect(#reportlint_clients() == 2, ("%d reportlint clients for two roots"):format(#reportlint_clients()))
      expect(attached_client(second).id == client.id, "second.md has a client of its own")
      expect(#attached_clients(bufnr) == 1, "report.md is attached to several reportlint clients")
      expect(same_dir(client.config.root_dir, ROOT),
        ("root is %s, expected %s (the folder with .git)"):format(client.config.root_dir, ROOT))
      expect(same_dir(other.config.root_dir, NESTED_ROOT),
        ("nested.md's root is %s, expected %s"):format(other.config.root_dir, NESTED_ROOT))
      local calls = vim.tbl_filter(function(c)
        return c.bufnr == bufnr
      end, on_attach_calls)
      expect(#calls == 1 and calls[1].name == "reportlint", "on_attach calls: " .. vim.inspect(on_attach_calls))
      expect(has_buffer_keymap(bufnr), "no buffer-local <leader>rf mapping in report.md")
      local map = vim.fn.maparg("<leader>rf", "n", false, true)
      expect(map.buffer == 1, "<leader>rf is not buffer-local: " .. vim.inspect(map))
      return ("client %d at %s, client %d at %s"):format(client.id, client.config.root_dir, other.id,
        other.config.root_dir)
    end,
  },
  {
    "settings reach the server once as initializationOptions and once as didChangeConfiguration",
    function()
      local client = attached_client()
      local init = sent(client, "initialize")
      expect(#init == 1, ("%d initialize requests"):format(#init))
      expect(vim.deep_equal(init[1].initializationOptions, SETTINGS),
        "initializationOptions: " .. vim.inspect(init[1].initializationOptions))
      local changes = sent(client, "workspace/didChangeConfiguration")
      expect(#changes == 1, ("%d didChangeConfiguration notifications: %s"):format(#changes, vim.inspect(changes)))
      expect(vim.deep_equal(changes[1].settings, { reportlint = SETTINGS }),
        "didChangeConfiguration settings: " .. vim.inspect(changes[1].settings))
      return vim.fn.json_encode(changes[1].settings)
    end,
  },
  {
    "a: sum-mismatch on the 43 cell, its raw range (line 6) in the client's encoding as computed from the buffer",
    function()
      local id = attached_client().id
      wait_for("a sum-mismatch diagnostic", function()
        return find_code(latest(0, id), "sum-mismatch") ~= nil
      end)
      mismatch = find_code(latest(0, id), "sum-mismatch")
      local want, text = total_cell_range()
      expect(text == "| 合计 | 43 |", "line 6 is " .. text)
      expect(same_range(mismatch.range, want),
        ("range %s, expected %s"):format(show_range(mismatch.range), show_range(want)))
      return ("%s range %s: %s"):format(encoding(), show_range(mismatch.range), mismatch.message)
    end,
  },
  {
    "no client, error, keymap or stray buffer for buffers without a file: unnamed, nofile, help, hover",
    function()
      local started = servers_started
      local buffers_before = #vim.api.nvim_list_bufs()
      local checked = {}
      -- The hover window of the 43 cell.
      vim.api.nvim_win_set_cursor(report_win, { 7, #"| 合计 | " })
      vim.lsp.buf.hover()
      local float
      wait_for("the hover window", function()
        for _, w in ipairs(vim.api.nvim_list_wins()) do
          if vim.api.nvim_win_get_config(w).relative ~= "" then
            float = w
            return true
          end
        end
      end)
      table.insert(checked, { "hover", vim.api.nvim_win_get_buf(float) })
      -- An unnamed buffer, a nofile scratch buffer and a help buffer, all set to markdown.
      vim.cmd("new")
      vim.bo.filetype = "markdown"
      vim.api.nvim_buf_set_lines(0, 0, -1, false, report_lines)
      table.insert(checked, { "unnamed", vim.api.nvim_get_current_buf() })
      local scratch = vim.api.nvim_create_buf(false, true)
      vim.bo[scratch].filetype = "markdown"
      table.insert(checked, { "nofile", scratch })
      vim.cmd("help")
      vim.cmd("setlocal filetype=markdown")
      table.insert(checked, { "help", vim.api.nvim_get_current_buf() })
      for _, c in ipairs(checked) do
        expect(#attached_clients(c[2]) == 0, c[1] .. " buffer got a reportlint client")
        expect(not has_buffer_keymap(c[2]), c[1] .. " buffer has <leader>rf")
      end
      expect(servers_started == started, ("%d server(s) started"):format(servers_started - started))
      -- A server sent a buffer without a file publishes for `file://`, i.e. a buffer "/".
      for _, b in ipairs(vim.api.nvim_list_bufs()) do
        expect(vim.api.nvim_buf_get_name(b) ~= "/", "a buffer named / appeared")
      end
      local errors = vim.v.errmsg
      vim.cmd("helpclose")
      for _, c in ipairs(checked) do
        if c[1] ~= "help" and vim.api.nvim_buf_is_valid(c[2]) then
          vim.cmd("bwipeout! " .. c[2])
        end
      end
      vim.api.nvim_set_current_win(report_win)
      expect(errors == "", "error message: " .. errors)
      return ("%d buffers checked, %d buffers before"):format(#checked, buffers_before)
    end,
  },
  {
    "b: the preferred quickfix 'Set 金额 to 42' applies and the diagnostic goes",
    function()
      local params = {
        textDocument = { uri = uri },
        range = mismatch.range,
        context = { diagnostics = { mismatch } },
      }
      local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 5000)
      expect(responses, "no answer to textDocument/codeAction within 5 s")
      local titles, action = {}, nil
      for _, response in pairs(responses) do
        expect(not response.error, "codeAction error: " .. vim.inspect(response.error))
        for _, a in ipairs(response.result or {}) do
          table.insert(titles, a.title)
          if a.isPreferred and a.kind == "quickfix" and a.title:find("Set 金额 to 42", 1, true) then
            action = a
          end
        end
      end
      expect(action and action.edit, "no preferred quickfix 'Set 金额 to 42' among: " .. table.concat(titles, " | "))
      vim.lsp.util.apply_workspace_edit(action.edit, encoding())
      expect(line(6) == "| 合计 | 42 |", "line 6 after the quickfix: " .. line(6))
      local p = diagnostics_now("the diagnostics after the quickfix")
      expect(not find_code(p, "sum-mismatch"), "sum-mismatch still published: " .. codes(p))
      return ("actions: %s; after: version %s, [%s]"):format(table.concat(titles, " | "), tostring(p.version), codes(p))
    end,
  },
  {
    "c: incremental edits after non-BMP text on a line reach the server intact (outline)",
    function()
      -- "# 𠀀 报告 😀": insert 年度 after 𠀀 (a surrogate pair in UTF-16), append after 😀.
      local heading = line(0)
      local at = heading:find("报告", 1, true) - 1
      vim.api.nvim_buf_set_text(bufnr, 0, at, 0, at, { "年度" })
      vim.api.nvim_buf_set_text(bufnr, 0, #line(0), 0, #line(0), { " 二" })
      expect(line(0) == "# 𠀀 年度报告 😀 二", "heading is " .. line(0))
      local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/documentSymbol",
        { textDocument = { uri = uri } }, 5000)
      expect(responses, "no answer to textDocument/documentSymbol within 5 s")
      local names = {}
      for _, response in pairs(responses) do
        for _, s in ipairs(response.result or {}) do
          table.insert(names, s.name)
        end
      end
      expect(vim.tbl_contains(names, "𠀀 年度报告 😀 二"),
        "the server's outline has " .. vim.inspect(names) .. ", expected the edited heading")
      return "server heading: " .. names[1]
    end,
  },
  {
    "c: editing 12 to 13 through the buffer API brings sum-mismatch back",
    function()
      return break_total("12", "13").message
    end,
  },
  {
    "c: :ReportlintFixAll sets the total to 43 and the diagnostics clear",
    function()
      vim.cmd("ReportlintFixAll")
      wait_for("line 6 to become | 合计 | 43 |", function()
        return line(6) == "| 合计 | 43 |"
      end)
      local p = diagnostics_now("the diagnostics after fix all")
      expect(#p.diagnostics == 0, "diagnostics remain: [" .. codes(p) .. "]")
      return "version " .. tostring(p.version)
    end,
  },
  {
    "the <leader>rf keymap fixes all too",
    function()
      break_total("13", "14")
      vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes("<leader>rf", true, false, true), "mx", false)
      wait_for("line 6 to become | 合计 | 44 |", function()
        return line(6) == "| 合计 | 44 |"
      end)
      local p = diagnostics_now("the diagnostics after the keymap")
      expect(#p.diagnostics == 0, "diagnostics remain: [" .. codes(p) .. "]")
      return "line 6: " .. line(6)
    end,
  },
  {
    ":ReportlintFixAll asks only the reportlint client, never another server attached to the buffer",
    function()
      -- Another language server (the same binary under another name) on report.md and on
      -- notes.rst, a file the plugin does not handle.
      local notes_path = ROOT .. "/docs/notes.rst"
      vim.cmd("split " .. vim.fn.fnameescape(notes_path))
      local notes = vim.api.nvim_get_current_buf()
      vim.api.nvim_buf_set_lines(notes, 0, -1, false, report_lines)
      local config = { name = "other-server", cmd = { BIN, "lsp" }, root_dir = ROOT }
      local other_id
      if vim.fn.has("nvim-0.8") == 1 then
        other_id = vim.lsp.start(config, { bufnr = notes })
      else
        other_id = vim.lsp.start_client(config)
        vim.lsp.buf_attach_client(notes, other_id)
      end
      expect(other_id, "the other server did not start")
      vim.lsp.buf_attach_client(bufnr, other_id)
      wait_for("the other server attached to both buffers", function()
        local other = vim.lsp.get_client_by_id(other_id)
        return other and other.initialized and vim.lsp.buf_is_attached(notes, other_id)
          and vim.lsp.buf_is_attached(bufnr, other_id)
      end)
      local other = vim.lsp.get_client_by_id(other_id)
      local before = #notified(NOT_ATTACHED)
      vim.cmd("ReportlintFixAll") -- in notes.rst
      expected_warnings[NOT_ATTACHED] = 1
      expect(#notified(NOT_ATTACHED) == before + 1, "no '" .. NOT_ATTACHED .. "' warning in notes.rst")
      expect(#sent(other, "workspace/executeCommand") == 0, "the other server got workspace/executeCommand")
      vim.api.nvim_set_current_win(report_win)
      break_total("14", "15")
      local client = attached_client()
      local asked = #sent(client, "workspace/executeCommand")
      vim.cmd("ReportlintFixAll")
      local commands = sent(client, "workspace/executeCommand")
      expect(#commands == asked + 1, "the reportlint server got no workspace/executeCommand")
      expect(commands[#commands].command == "reportlint.fixAll" and commands[#commands].arguments[1] == uri,
        "executeCommand params: " .. vim.inspect(commands[#commands]))
      expect(#sent(other, "workspace/executeCommand") == 0, "the other server got workspace/executeCommand")
      wait_for("line 6 to become | 合计 | 45 |", function()
        return line(6) == "| 合计 | 45 |"
      end)
      vim.lsp.stop_client(other_id)
      wait_for("the other server to stop", function()
        return vim.lsp.client_is_stopped(other_id)
      end)
      vim.cmd("bwipeout! " .. notes)
      vim.api.nvim_set_current_win(report_win)
      return ("client %d asked, client %d (%s) not"):format(client.id, other_id, other.name)
    end,
  },
  {
    "after its server exits, the report gets a new client when it is edited again",
    function()
      local old = attached_client().id
      vim.lsp.stop_client(old)
      wait_for("the server to stop", function()
        return vim.lsp.client_is_stopped(old)
      end)
      expect(attached_client() == nil, "the report is still attached to a reportlint client")
      vim.cmd("silent write")
      vim.cmd("silent edit") -- FileType again
      wait_for("a new reportlint client attached", function()
        local c = attached_client()
        return c ~= nil and c.id ~= old
      end)
      local p = diagnostics_now("the diagnostics from the new client")
      expect(#p.diagnostics == 0, "diagnostics: [" .. codes(p) .. "]")
      return ("client %d replaced %d"):format(attached_client().id, old)
    end,
  },
  {
    ":ReportlintRestart replaces every server, one per root, which check the buffers again",
    function()
      local before = #published
      local old = vim.tbl_map(function(c)
        return c.id
      end, reportlint_clients())
      local first = attached_client().id
      vim.cmd("ReportlintRestart")
      wait_for("a new reportlint client attached", function()
        local c = attached_client()
        return c ~= nil and c.id ~= first
      end)
      local c = attached_client()
      wait_for("diagnostics from the new client", function()
        for i = before + 1, #published do
          if published[i].client_id == c.id and vim.uri_to_bufnr(published[i].uri) == bufnr then
            return true
          end
        end
        return false
      end)
      expect(all_stopped(old), "an old client is still running")
      wait_for("initialized reportlint clients attached to the three files again", function()
        return attached_client(second) and attached_client(nested)
      end)
      local roots = {}
      for _, client in ipairs(reportlint_clients()) do
        local root = client.config.root_dir
        expect(not roots[root], "two clients for " .. root)
        roots[root] = true
      end
      expect(#reportlint_clients() == 2, ("%d reportlint clients for two roots"):format(#reportlint_clients()))
      return ("client %d replaced %d"):format(c.id, first)
    end,
  },
  {
    ":ReportlintRestart ends and replaces servers that do not exit after shutdown",
    function()
      -- The server answers shutdown and exits, then its process lives on as `sleep`.
      plugin.setup({ cmd = { "sh", "-c", vim.fn.shellescape(BIN) .. " lsp; exec sleep 60" } })
      local old = attached_client().id
      vim.cmd("ReportlintRestart")
      wait_for("servers that do not exit, attached to report.md and nested.md", function()
        local c, n = attached_client(), attached_client(nested)
        return c and c.id ~= old and n and n.config.cmd[1] == "sh" and c.config.cmd[1] == "sh"
      end)
      local stuck = vim.tbl_map(function(c)
        return c.id
      end, reportlint_clients())
      plugin.setup({ cmd = { BIN, "lsp" } })
      vim.cmd("ReportlintRestart")
      local replaced = vim.wait(15000, function()
        local c, n = attached_client(), attached_client(nested)
        return all_stopped(stuck) and c and n and c.config.cmd[1] == BIN and n.config.cmd[1] == BIN
      end, 20)
      if not replaced then
        local running = {}
        for _, c in ipairs(all_clients()) do
          table.insert(running, ("%d (%s)"):format(c.id, c.config.cmd[1]))
        end
        error("15 s after the second :ReportlintRestart, clients " .. table.concat(running, ", ")
          .. " run; ended and replaced should be " .. table.concat(stuck, ", "), 0)
      end
      -- The ended processes are gone: one child process per running client.
      wait_for("one process per client", function()
        return #vim.api.nvim_get_proc_children(vim.fn.getpid()) == #all_clients()
      end)
      return ("clients %s ended"):format(table.concat(stuck, ", "))
    end,
  },
  {
    "capabilities option reaches initialize (a client offering only utf-16 gets UTF-16 ranges); "
      .. "no settings: no initializationOptions",
    function()
      plugin.setup({
        cmd = { BIN, "lsp" },
        capabilities = { general = { positionEncodings = { "utf-16" } } },
      })
      local old = attached_client().id
      vim.cmd("ReportlintRestart")
      wait_for("a new reportlint client attached", function()
        local c = attached_client()
        return c ~= nil and c.id ~= old
      end)
      local init = sent(attached_client(), "initialize")
      expect(#init == 1, ("%d initialize requests"):format(#init))
      local offered = init[1].capabilities.general and init[1].capabilities.general.positionEncodings
      expect(vim.deep_equal(offered, { "utf-16" }), "positionEncodings offered: " .. vim.inspect(offered))
      expect(init[1].capabilities.textDocument ~= nil, "the default capabilities were replaced, not extended")
      expect(init[1].initializationOptions == nil,
        "initializationOptions: " .. vim.inspect(init[1].initializationOptions))
      expect(encoding() == "utf-16", "the client's position encoding is " .. tostring(encoding()))
      return "utf-16 range " .. show_range(break_total("15", "16").range)
    end,
  },
  {
    "no other warning or error was notified (deprecations and server messages included)",
    function()
      local other = {}
      for _, n in ipairs(notifications) do
        local message = tostring(n.message)
        local expected = false
        for text in pairs(expected_warnings) do
          expected = expected or message:find(text, 1, true) ~= nil
        end
        if (n.level or 0) >= vim.log.levels.WARN and not expected then
          table.insert(other, message)
        end
      end
      expect(#other == 0, table.concat(other, " || "))
      for text, count in pairs(expected_warnings) do
        expect(#notified(text) == count, ("%d notifications of %q, expected %d"):format(#notified(text), text, count))
      end
      return ("%d notification(s) in all"):format(#notifications)
    end,
  },
}

local results = {}
local failed = false
for _, step in ipairs(steps) do
  local name, fn = step[1], step[2]
  if failed then
    table.insert(results, { name = name, ok = false, detail = "not run: an earlier check failed" })
  else
    local ok, detail = pcall(fn)
    detail = tostring(detail or "")
    table.insert(results, { name = name, ok = ok, detail = detail })
    log((ok and "PASS " or "FAIL ") .. name .. (detail ~= "" and (": " .. detail) or ""))
    failed = not ok
  end
end

-- d: stop every server; the shell script checks that no process is left.
-- The servers are Neovim's only child processes.
local function children()
  return vim.api.nvim_get_proc_children(vim.fn.getpid())
end
local pids, ids = children(), {}
local reportlint_count = #reportlint_clients()
for _, client in ipairs(all_clients()) do
  table.insert(ids, client.id)
  vim.lsp.stop_client(client.id)
end
local stopped = vim.wait(5000, function()
  return all_stopped(ids) and #children() == 0
end, 20)
local running = {}
for _, client in ipairs(all_clients()) do
  table.insert(running, ("%s %d (root %s)"):format(client.name, client.id, tostring(client.config.root_dir)))
end
table.insert(running, "processes " .. table.concat(children(), " "))
local name = "d: vim.lsp.stop_client stops the servers"
local ok = stopped and reportlint_count > 0
local detail = ("%d client(s), pids %s"):format(#ids, table.concat(pids, " "))
if not stopped then
  detail = detail .. "; still running 5 s after stop_client: " .. table.concat(running, ", ")
elseif reportlint_count == 0 then
  detail = detail .. "; no reportlint client was running"
end
table.insert(results, { name = name, ok = ok, detail = detail })
log((ok and "PASS " or "FAIL ") .. name .. ": " .. detail)
failed = failed or not ok

local lines = {}
for _, r in ipairs(results) do
  table.insert(lines, "  " .. vim.fn.json_encode(r))
end
local f = assert(io.open(OUT, "w"))
f:write(('{"nvim": %s, "pids": %s, "checks": [\n%s\n]}\n'):format(
  vim.fn.json_encode(tostring(vim.version().major .. "." .. vim.version().minor .. "." .. vim.version().patch)),
  vim.fn.json_encode(pids),
  table.concat(lines, ",\n")
))
f:close()
vim.cmd(failed and "cquit 1" or "qa!")
